import { lastScheduleIn, nextSchedule, parseCron } from '../src/controllers/cron.js';
import { imageBehaviour, imageProfile, repositoryOf, runsAsRoot } from '../src/controllers/images.js';
import { evaluate, policies } from '../src/admission/pod-security.js';

describe('magic image names', () => {
  it('know the root images by repository, with or without registry, library/ and tag', () => {
    for (const image of ['nginx', 'nginx:1.27', 'library/nginx', 'docker.io/library/nginx:1.27-alpine', 'registry.example:5000/redis@sha256:abc', 'postgres:16', 'busybox', 'team/app-runs-as-root:1']) {
      expect(runsAsRoot(image)).toBe(true);
    }
    for (const image of ['bitnami/nginx', 'nginxinc/nginx-unprivileged', 'example/app', 'ghcr.io/acme/python-tool']) expect(runsAsRoot(image)).toBe(false);
    expect(repositoryOf('docker.io/library/nginx:1.27')).toBe('nginx');
  });

  it('map oom, exit-<n>, sleep-<s> and the older names to behaviours', () => {
    expect(imageProfile('example/oom:1')).toMatchObject({ behaviour: 'oom', exitCode: 137 });
    expect(imageProfile('example/exit-3')).toMatchObject({ behaviour: 'exit', exitCode: 3, runSeconds: undefined });
    expect(imageProfile('example/sleep-30')).toMatchObject({ behaviour: 'exit', exitCode: 0, runSeconds: 30 });
    expect(imageProfile('example/sleep-5-exit-4')).toMatchObject({ exitCode: 4, runSeconds: 5 });
    expect(imageBehaviour('room/zoom:1')).toBe('ok');
    expect(imageBehaviour('registry.example/fail-pull:1')).toBe('pull-error');
    expect(imageBehaviour('x:pull-error')).toBe('pull-error');
    expect(imageBehaviour('example/crash-app')).toBe('crash');
    expect(imageProfile('example/crash-once:1')).toMatchObject({ behaviour: 'crash-once', exitCode: 1 });
    expect(imageBehaviour('example/never-ready')).toBe('never-ready');
  });
});

describe('cron schedules', () => {
  const at = (iso: string): number => Date.parse(iso);
  it('parse fields, names, steps and descriptors, with day-of-month OR day-of-week', () => {
    const s = parseCron('*/15 9-17 * * mon-fri');
    expect(nextSchedule(s, at('2026-12-05T10:00:00Z'))).toBe(at('2026-12-07T09:00:00Z'));
    expect(nextSchedule(parseCron('@daily'), at('2026-12-01T10:00:00Z'))).toBe(at('2026-12-02T00:00:00Z'));
    expect(nextSchedule(parseCron('0 0 13 * 5'), at('2026-12-01T00:00:00Z'))).toBe(at('2026-12-04T00:00:00Z'));
    expect(nextSchedule(parseCron('30 2 * * *'), at('2026-12-01T00:00:00Z'), 'Europe/Berlin')).toBe(at('2026-12-01T01:30:00Z'));
    expect(nextSchedule(parseCron('@yearly'), at('2026-12-01T10:00:00Z'), 'America/New_York')).toBe(at('2027-01-01T05:00:00Z'));
    expect(lastScheduleIn(parseCron('@yearly'), at('2026-06-01T00:00:00Z'), at('2027-03-01T00:00:00Z'), 'America/New_York')).toEqual({ time: at('2027-01-01T05:00:00Z'), missed: 1 });
        expect(() => parseCron('61 * * * *')).toThrow();
    expect(() => parseCron('* * *')).toThrow();
  });

  it('find the most recent missed time and count missed runs', () => {
    const s = parseCron('*/1 * * * *');
    expect(lastScheduleIn(s, at('2026-12-01T00:00:30Z'), at('2026-12-01T00:03:10Z'))).toEqual({ time: at('2026-12-01T00:03:00Z'), missed: 3 });
    expect(lastScheduleIn(s, at('2026-12-01T00:00:30Z'), at('2026-12-01T00:00:50Z')).time).toBeUndefined();
  });
});

describe('pod security levels', () => {
  it('read the namespace labels, privileged by default, and reject unknown levels', () => {
    expect(policies(undefined).policies.enforce).toEqual({ level: 'privileged', version: 'latest' });
    expect(policies({ 'pod-security.kubernetes.io/warn': 'baseline', 'pod-security.kubernetes.io/warn-version': 'v1.30' }).policies.warn).toEqual({ level: 'baseline', version: 'v1.30' });
    expect(policies({ 'pod-security.kubernetes.io/audit': 'nope' }).causes).toHaveLength(1);
  });

  it('word AppArmor and SELinux violations as upstream', () => {
    const detail = (spec: Record<string, unknown>, meta: Record<string, unknown> = {}): string[] => evaluate('baseline', meta, spec).map((v) => `${v.reason} (${v.detail})`);
    expect(detail({ securityContext: { appArmorProfile: { type: 'Unconfined' } }, containers: [{ name: 'c', image: 'x' }] })).toEqual(['forbidden AppArmor profile (pod must not set AppArmor profile type to "Unconfined")']);
    expect(detail({ containers: [{ name: 'c', image: 'x' }] }, { annotations: { 'container.apparmor.security.beta.kubernetes.io/c': 'unconfined' } })).toEqual([
      'forbidden AppArmor profile (annotation must not set AppArmor profile type to "container.apparmor.security.beta.kubernetes.io/c=\\"unconfined\\"")',
    ]);
    expect(detail({ containers: [{ name: 'c', image: 'x', securityContext: { seLinuxOptions: { type: 'spc_t', user: 'root' } } }] })).toEqual([
      'seLinuxOptions (container "c" set forbidden securityContext.seLinuxOptions: type "spc_t"; user may not be set)',
    ]);
  });

  it('check sysctls, seccomp, runAsUser, volumes, AppArmor and SELinux', () => {
    const reasons = (level: 'baseline' | 'restricted', spec: Record<string, unknown>): string[] => evaluate(level, {}, spec).map((v) => v.reason);
    const c = { name: 'c', image: 'x', securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } };
    const okSc = { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } };
    expect(reasons('restricted', { securityContext: okSc, containers: [c] })).toEqual([]);
    expect(reasons('baseline', { securityContext: { sysctls: [{ name: 'kernel.msgmax', value: '1' }, { name: 'net.ipv4.tcp_syncookies', value: '1' }] }, containers: [c] })).toEqual(['forbidden sysctls']);
    expect(reasons('restricted', { securityContext: { ...okSc, runAsUser: 0 }, containers: [c] })).toEqual(['runAsUser=0']);
    expect(reasons('restricted', { securityContext: okSc, volumes: [{ name: 'n', nfs: { server: 's', path: '/' } }], containers: [c] })).toEqual(['restricted volume types']);
    // Under restricted, hostPath is reported once, as a restricted volume type.
    const hp = evaluate('restricted', {}, { securityContext: okSc, volumes: [{ name: 'h', hostPath: { path: '/' } }, { name: 'n', nfs: { server: 's', path: '/' } }], containers: [c] });
    expect(hp.map((v) => `${v.reason} (${v.detail})`)).toEqual(['restricted volume types (volumes "h", "n" use restricted volume types "hostPath", "nfs")']);
    expect(reasons('baseline', { securityContext: { seccompProfile: { type: 'Unconfined' }, seLinuxOptions: { type: 'spc_t' }, appArmorProfile: { type: 'Unconfined' } }, containers: [{ name: 'c', image: 'x', securityContext: { procMount: 'Unmasked' } }] })).toEqual([
      'forbidden AppArmor profile',
      'procMount',
      'seLinuxOptions',
      'seccompProfile',
    ]);
  });
});
