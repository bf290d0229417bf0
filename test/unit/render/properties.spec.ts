// Properties every rendering must have, checked on every case in cases.ts and on targeted
// variations: the rules apply/prune and Kubernetes itself rely on, not just "matches the golden".
import { describe, expect, it } from '@jest/globals';
import { objectKey as driftObjectKey } from '../../../src/modules/workloads/drift.js';
import { MANAGED_KINDS, objectKey, renderEnvironment, retainedSecretNames } from '../../../src/modules/workloads/render/render-environment.js';
import { applyRank, managedKind } from '../../../src/modules/workloads/render/object-key.js';
import { LABELS, type KubernetesObject, type RenderInput } from '../../../src/modules/workloads/render/render.types.js';
import { baseInput, CASES, web } from './cases.js';

type Obj = KubernetesObject & { spec?: Record<string, unknown>; data?: Record<string, string> };
interface PodTemplate {
  metadata: { labels: Record<string, string>; annotations: Record<string, string> };
  spec: { securityContext?: Record<string, unknown>; imagePullSecrets?: unknown[]; containers: Array<Record<string, unknown>> };
}

const render = (input: RenderInput) => renderEnvironment(input) as Obj[];
const ofKind = (objects: Obj[], kind: string) => objects.filter((o) => o.kind === kind);
const named = (objects: Obj[], kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name);
const template = (deployment: Obj) => deployment.spec!.template as PodTemplate;
const ALL = Object.entries(CASES);

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

describe('identity, labels and order', () => {
  it.each(ALL)('%s: every name is a DNS-1123 label of at most 63 characters, every label value valid', (_, input) => {
    for (const o of render(input)) {
      expect(o.metadata.name).toMatch(DNS_LABEL);
      expect(o.metadata.name.length).toBeLessThanOrEqual(63);
      for (const [key, value] of Object.entries(o.metadata.labels ?? {})) {
        expect(`${key}=${value}`).toMatch(new RegExp(`=${LABEL_VALUE.source.slice(1)}`));
        expect(value.length).toBeLessThanOrEqual(63);
      }
    }
  });

  it.each(ALL)('%s: every object carries the labels pruning selects by', (_, input) => {
    const expected = {
      [LABELS.managedBy]: 'berth',
      [LABELS.team]: input.team.name,
      [LABELS.app]: input.app.name,
      [LABELS.environment]: input.environment.name,
      [LABELS.environmentId]: input.environment.id,
    };
    for (const o of render(input)) expect(o.metadata.labels).toMatchObject(expected);
  });

  it.each(ALL)('%s: objects come in apply order, are unique, managed, and namespaced as their kind says', (_, input) => {
    const objects = render(input);
    expect(objects[0]!.kind).toBe('Namespace');
    const ranks = objects.map(applyRank);
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    expect(new Set(objects.map(objectKey)).size).toBe(objects.length);
    for (const o of objects) {
      const kind = managedKind(o.apiVersion, o.kind);
      expect(kind).toBeDefined();
      expect(o.metadata.namespace).toBe(kind!.namespaced ? input.environment.namespace : undefined);
    }
  });

  it('MANAGED_KINDS lists each kind once, Namespace first, with lower-case plurals', () => {
    expect(MANAGED_KINDS[0]).toEqual({ apiVersion: 'v1', kind: 'Namespace', plural: 'namespaces', namespaced: false });
    expect(new Set(MANAGED_KINDS.map((k) => `${k.apiVersion}/${k.kind}`)).size).toBe(MANAGED_KINDS.length);
    for (const k of MANAGED_KINDS) expect(k.plural).toMatch(/^[a-z]+s$/);
    expect(Object.isFrozen(MANAGED_KINDS)).toBe(true);
  });

  it('objectKey is apiVersion/kind/namespace/name, the format drift.ts and pruning use', () => {
    for (const o of render(CASES['production-autoscaled']!)) expect(objectKey(o)).toBe(driftObjectKey(o));
    expect(objectKey({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'a-b' } })).toBe('apps/v1/Deployment/a-b/web');
    expect(objectKey({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a-b' } })).toBe('v1/Namespace//a-b');
  });
});

describe('purity', () => {
  it.each(ALL)('%s: rendering twice gives deep-equal output with the same key order, input untouched', (_, input) => {
    const before = structuredClone(input);
    const first = renderEnvironment(deepFreeze(structuredClone(input)));
    expect(JSON.stringify(renderEnvironment(input))).toBe(JSON.stringify(first));
    expect(input).toEqual(before);
  });

  it('does not depend on the order process types and domains come in', () => {
    const input = CASES['production-autoscaled']!;
    const shuffled = { ...input, processTypes: [...input.processTypes].reverse(), domains: [...input.domains].reverse() };
    expect(JSON.stringify(renderEnvironment(shuffled))).toBe(JSON.stringify(renderEnvironment(input)));
  });

  it('shares no object between two places in the output (no aliasing)', () => {
    const seen = new Set<object>();
    const walk = (value: unknown): void => {
      if (!value || typeof value !== 'object') return;
      expect(seen.has(value)).toBe(false);
      seen.add(value);
      Object.values(value).forEach(walk);
    };
    walk(renderEnvironment(CASES['production-autoscaled']!));
  });
});

describe('release Secret and config', () => {
  const input = baseInput();

  it('keeps config values in the release Secret only, base64-encoded and immutable', () => {
    const objects = render(input);
    const secret = named(objects, 'Secret', 'release-v7')!;
    expect(secret).toMatchObject({ type: 'Opaque', immutable: true });
    expect(Object.keys(secret.data!)).toEqual(['DATABASE_URL', 'LOG_LEVEL', 'SECRET_KEY_BASE']);
    const outside = JSON.stringify(objects.filter((o) => o !== secret));
    for (const [key, value] of Object.entries(input.release!.config)) {
      expect(Buffer.from(secret.data![key]!, 'base64').toString('utf8')).toBe(value);
      expect(outside).not.toContain(value);
      expect(outside).not.toContain(Buffer.from(value).toString('base64'));
    }
    for (const d of ofKind(objects, 'Deployment')) {
      expect(template(d).spec.containers[0]!.envFrom).toEqual([{ secretRef: { name: 'release-v7' } }]);
    }
  });

  it('renders only the current release Secret and retains the previous one from pruning', () => {
    expect(ofKind(render(input), 'Secret').map((s) => s.metadata.name)).toEqual(['release-v7']);
    expect(retainedSecretNames(input)).toEqual(['release-v7', 'release-v6']);
    expect(retainedSecretNames({ ...input, previousRelease: null })).toEqual(['release-v7']);
    expect(retainedSecretNames(CASES['minimal-staging']!)).toEqual([]);
  });

  it('renders the registry-credentials Secret and imagePullSecrets only with a pull secret', () => {
    const withPull = render(CASES['production-autoscaled']!);
    expect(named(withPull, 'Secret', 'registry-credentials')).toMatchObject({ type: 'kubernetes.io/dockerconfigjson' });
    for (const d of ofKind(withPull, 'Deployment')) expect(template(d).spec.imagePullSecrets).toEqual([{ name: 'registry-credentials' }]);
    const without = render(input);
    expect(named(without, 'Secret', 'registry-credentials')).toBeUndefined();
    for (const d of ofKind(without, 'Deployment')) expect(template(d).spec.imagePullSecrets).toBeUndefined();
  });

  it('renders no workloads, Service, Ingress, HPA or PDB before the first release', () => {
    const kinds = render(CASES['minimal-staging']!).map((o) => o.kind);
    expect(kinds).toEqual(['Namespace', 'ServiceAccount', 'ResourceQuota', 'LimitRange', 'NetworkPolicy']);
  });
});

describe('Deployments', () => {
  it.each(ALL)('%s: selectors are stable labels only, and select the pod template', (_, input) => {
    for (const o of render(input)) {
      const selector = (o.kind === 'Service' ? o.spec!.selector : (o.spec?.selector as { matchLabels?: unknown } | undefined)?.matchLabels) as Record<string, string> | undefined;
      if (!selector) continue;
      expect(Object.keys(selector).sort()).toEqual([LABELS.app, LABELS.environment, LABELS.processType].sort());
      if (o.kind === 'Deployment') expect(template(o).metadata.labels).toMatchObject(selector);
    }
  });

  it('omits replicas when autoscaled (the HPA owns them) and sets them otherwise', () => {
    const objects = render(CASES['production-autoscaled']!);
    expect('replicas' in named(objects, 'Deployment', 'web')!.spec!).toBe(false);
    expect(named(objects, 'Deployment', 'worker')!.spec!.replicas).toBe(2);
    expect(named(objects, 'HorizontalPodAutoscaler', 'web')!.spec).toMatchObject({ scaleTargetRef: { kind: 'Deployment', name: 'web' }, minReplicas: 3, maxReplicas: 12 });
    expect(named(objects, 'HorizontalPodAutoscaler', 'worker')).toBeUndefined();
  });

  it('rolls on a new release or a restart: both are in the pod template', () => {
    const plain = template(named(render(baseInput()), 'Deployment', 'web')!);
    expect(plain.metadata.annotations).toEqual({ 'berth.dev/release': '7' });
    expect(plain.metadata.labels[LABELS.release]).toBe('7');
    const restarted = template(named(render(CASES['restart-annotation']!), 'Deployment', 'worker')!);
    expect(restarted.metadata.annotations).toEqual({ 'berth.dev/release': '7', 'berth.dev/restarted-at': '2026-11-28T09:30:00.000Z' });
  });

  it('probes web by its health path (readiness) and port (liveness); workers get none', () => {
    const objects = render(baseInput());
    const webContainer = template(named(objects, 'Deployment', 'web')!).spec.containers[0]!;
    expect(webContainer.readinessProbe).toMatchObject({ httpGet: { path: '/health', port: 5000 } });
    expect(webContainer.livenessProbe).toMatchObject({ tcpSocket: { port: 5000 } });
    expect(webContainer.env).toEqual([{ name: 'PORT', value: '5000' }]);
    const noPath = template(named(render(baseInput({ processTypes: [web({ healthCheckPath: null })] })), 'Deployment', 'web')!).spec.containers[0]!;
    expect(noPath.readinessProbe).toMatchObject({ tcpSocket: { port: 5000 } });
    const workerContainer = template(named(objects, 'Deployment', 'worker')!).spec.containers[0]!;
    for (const probe of ['readinessProbe', 'livenessProbe', 'startupProbe', 'env', 'ports']) expect(workerContainer[probe]).toBeUndefined();
    expect(workerContainer.command).toEqual(['/bin/sh', '-c', 'bundle exec sidekiq -C config/sidekiq.yml']);
    expect(webContainer.command).toBeUndefined();
  });

  const RESTRICTED = ALL.filter(([, input]) => (input.environment.securityProfile ?? 'restricted') !== 'root');
  it.each(RESTRICTED)('%s: pods satisfy the restricted Pod Security Standard the namespace enforces', (_, input) => {
    const objects = render(input);
    expect(objects[0]!.metadata.labels!['pod-security.kubernetes.io/enforce']).toBe('restricted');
    for (const d of ofKind(objects, 'Deployment')) {
      const pod = template(d).spec;
      expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
      // restricted forbids runAsUser 0; Berth's explicit uid keeps images without a USER starting.
      if (pod.securityContext!.runAsUser !== undefined) expect(pod.securityContext!.runAsUser).toBeGreaterThan(0);
      for (const c of pod.containers) {
        expect(c.securityContext).toMatchObject({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
        expect(c.securityContext).not.toHaveProperty('privileged');
      }
      expect(pod).not.toHaveProperty('hostNetwork');
      expect(pod).not.toHaveProperty('volumes');
    }
  });

  it('runs images as a fixed non-root uid by default, as their own user under image_user, and as declared (baseline) under root', () => {
    const podOf = (input: RenderInput) => template(ofKind(render(input), 'Deployment')[0]!).spec;
    const env = baseInput().environment;
    expect(podOf(baseInput()).securityContext).toEqual({ runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001, seccompProfile: { type: 'RuntimeDefault' } });
    expect(podOf(baseInput({ environment: { ...env, securityProfile: 'image_user' } })).securityContext).toEqual({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    const root = baseInput({ environment: { ...env, securityProfile: 'root' } });
    expect(podOf(root).securityContext).toEqual({ seccompProfile: { type: 'RuntimeDefault' } });
    expect(podOf(root).containers[0]!.securityContext).toEqual({ allowPrivilegeEscalation: false, capabilities: { drop: ['NET_RAW'] } });
    expect(render(root)[0]!.metadata.labels!['pod-security.kubernetes.io/enforce']).toBe('baseline');
  });

  it('renders the environment\'s progress deadline', () => {
    const env = baseInput().environment;
    const deadlines = (input: RenderInput) => ofKind(render(input), 'Deployment').map((d) => d.spec!.progressDeadlineSeconds);
    expect(deadlines(baseInput())).toEqual([300, 300]);
    expect(deadlines(baseInput({ environment: { ...env, progressDeadlineSeconds: 90 } }))).toEqual([90, 90]);
  });
});
