// Renders every kustomization under k8s/ with the real `kubectl kustomize`, validates each object
// against the Kubernetes schema, and checks the properties the deployment relies on: non-root,
// read-only root filesystem, probes, replicas, disruption budget, network policy, no committed
// secret values, and least-privilege RBAC for managed clusters.
import { loadConfig } from '../../src/config/config.js';
import { containersOf, find, label, one, podSpec, readRepoFile, render, schemaErrors, selects, type Obj } from './support.js';

const OVERLAYS = ['overlays/development', 'overlays/production'] as const;
const NAMESPACE = 'berth';
const SECRET = 'berth-secrets';

const rendered = new Map<string, Obj[]>();
beforeAll(async () => {
  for (const dir of ['base', ...OVERLAYS, 'managed-cluster']) rendered.set(dir, await render(dir));
});
const objs = (dir: string): Obj[] => rendered.get(dir)!;

/** The Secret name after kustomize (generated secrets carry a hash suffix). */
function secretName(dir: string): string {
  const generated = find(objs(dir), 'Secret').find((s) => s.metadata.name.startsWith(`${SECRET}-`));
  return generated?.metadata.name ?? SECRET;
}

describe('schema', () => {
  test('the validator rejects an invalid object (sanity check)', async () => {
    const errors = await schemaErrors({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x' }, spec: { replicas: 'two' } });
    expect(errors.join('\n')).toMatch(/replicas|selector|template/);
    expect(await schemaErrors({ apiVersion: 'example.com/v1', kind: 'Nope', metadata: { name: 'x' } })).toEqual(['no schema for example.com/v1 Nope']);
  });

  test.each(['base', ...OVERLAYS, 'managed-cluster'])('every object in %s is valid against the Kubernetes schema', async (dir) => {
    expect(objs(dir).length).toBeGreaterThan(0);
    const problems: string[] = [];
    for (const obj of objs(dir)) for (const e of await schemaErrors(obj)) problems.push(`${label(obj)}: ${e}`);
    expect(problems).toEqual([]);
  });

  test.each([...OVERLAYS])('%s: every namespaced object lands in the berth namespace', (dir) => {
    for (const obj of objs(dir)) {
      if (obj.kind === 'Namespace') continue;
      expect([label(obj), obj.metadata.namespace]).toEqual([label(obj), NAMESPACE]);
    }
  });
});

describe.each([
  ['overlays/development', 2],
  ['overlays/production', 3],
] as const)('%s', (dir, replicas) => {
  const deployment = (): Obj => one(objs(dir), 'Deployment', 'berth');
  const job = (): Obj => one(objs(dir), 'Job', 'berth-migrate');
  const server = (): Obj => deployment().spec.template.spec.containers.find((c: Obj) => c.name === 'berth');

  test(`runs ${replicas} replicas (at least 2) with zero-downtime rolling updates`, () => {
    expect(deployment().spec.replicas).toBe(replicas);
    expect(deployment().spec.replicas).toBeGreaterThanOrEqual(2);
    expect(deployment().spec.strategy.rollingUpdate.maxUnavailable).toBe(0);
  });

  test('every pod runs non-root, read-only, without privileges, under RuntimeDefault seccomp', () => {
    const workloads = objs(dir).filter((o) => podSpec(o));
    expect(workloads.map(label)).toEqual(expect.arrayContaining(['Deployment/berth/berth', 'Job/berth/berth-migrate']));
    for (const workload of workloads) {
      const spec = podSpec(workload)!;
      expect([label(workload), spec.securityContext?.runAsNonRoot]).toEqual([label(workload), true]);
      expect([label(workload), spec.securityContext?.seccompProfile?.type]).toEqual([label(workload), 'RuntimeDefault']);
      expect([label(workload), spec.automountServiceAccountToken]).toEqual([label(workload), false]);
      for (const c of containersOf(spec)) {
        const where = `${label(workload)} container ${c.name}`;
        const sc = c.securityContext ?? {};
        expect([where, sc.readOnlyRootFilesystem, sc.allowPrivilegeEscalation, sc.privileged ?? false]).toEqual([where, true, false, false]);
        expect([where, sc.capabilities?.drop]).toEqual([where, ['ALL']]);
        expect([where, sc.capabilities?.add ?? []]).toEqual([where, []]);
        expect([where, sc.runAsUser ?? spec.securityContext.runAsUser]).not.toEqual([where, 0]);
        expect(c.resources?.requests?.cpu).toBeDefined();
        expect(c.resources?.requests?.memory).toBeDefined();
        expect(c.resources?.limits?.memory).toBeDefined();
      }
    }
  });

  test('Berth runs as uid 10001 (the image user) with a writable /tmp on an emptyDir', () => {
    for (const workload of [deployment(), job()]) {
      const spec = podSpec(workload)!;
      expect(spec.securityContext.runAsUser).toBe(10001);
      for (const c of spec.containers) {
        expect(c.securityContext.runAsUser ?? spec.securityContext.runAsUser).toBe(10001);
        const tmp = c.volumeMounts.find((m: Obj) => m.mountPath === '/tmp');
        expect(tmp).toBeDefined();
        expect(spec.volumes.find((v: Obj) => v.name === tmp.name).emptyDir).toBeDefined();
      }
    }
  });

  test('probes: startup and liveness on /healthz, readiness on /readyz, all on the http port', () => {
    const c = server();
    expect(c.ports).toEqual([{ name: 'http', containerPort: 8080, protocol: 'TCP' }]);
    expect(c.startupProbe.httpGet).toEqual({ path: '/healthz', port: 'http' });
    expect(c.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'http' });
    expect(c.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'http' });
    // Start-up (migrations included) gets at least a minute before liveness can restart the pod.
    expect(c.startupProbe.periodSeconds * c.startupProbe.failureThreshold).toBeGreaterThanOrEqual(60);
  });

  test('graceful shutdown: preStop sleep, then a grace period covering Berth\'s own drain deadline', () => {
    const spec = deployment().spec.template.spec;
    const sleep = server().lifecycle.preStop.sleep.seconds;
    expect(sleep).toBeGreaterThanOrEqual(5);
    expect(spec.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(30);
    const cm = one(objs(dir), 'ConfigMap', server().envFrom[0].configMapRef.name);
    const drainSeconds = Number(cm.data.BERTH_SHUTDOWN_TIMEOUT_MS) / 1000;
    expect(drainSeconds).toBeGreaterThan(0);
    // SIGKILL must not come before the drain deadline (+ a few seconds to close the pool).
    expect(spec.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(sleep + drainSeconds + 5);
  });

  test('no simulated cluster in a real deployment', () => {
    const cm = one(objs(dir), 'ConfigMap', server().envFrom[0].configMapRef.name);
    expect(cm.data.BERTH_SANDBOX_WHEN_EMPTY).toBe('false');
  });

  test('replicas are spread over nodes and zones', () => {
    const spec = deployment().spec.template.spec;
    const keys = spec.topologySpreadConstraints.map((t: Obj) => t.topologyKey);
    expect(keys).toEqual(expect.arrayContaining(['kubernetes.io/hostname', 'topology.kubernetes.io/zone']));
    for (const t of spec.topologySpreadConstraints) expect(selects(t.labelSelector, deployment().spec.template.metadata.labels)).toBe(true);
    if (dir === 'overlays/production') {
      expect(spec.topologySpreadConstraints.find((t: Obj) => t.topologyKey === 'kubernetes.io/hostname').whenUnsatisfiable).toBe('DoNotSchedule');
    }
  });

  test('the Service selects the server pods on the named http port', () => {
    const svc = one(objs(dir), 'Service', 'berth');
    expect(selects(svc.spec.selector, deployment().spec.template.metadata.labels)).toBe(true);
    expect(selects(svc.spec.selector, job().spec.template.metadata.labels)).toBe(false);
    expect(svc.spec.ports[0].targetPort).toBe('http');
  });

  test('a PodDisruptionBudget keeps at least one replica and still lets one be evicted', () => {
    const pdb = one(objs(dir), 'PodDisruptionBudget', 'berth');
    expect(selects(pdb.spec.selector, deployment().spec.template.metadata.labels)).toBe(true);
    expect(pdb.spec.minAvailable).toBeGreaterThanOrEqual(1);
    expect(pdb.spec.minAvailable).toBeLessThan(deployment().spec.replicas);
  });

  test('network: default deny; Berth takes HTTP on 8080 only, and reaches only DNS, PostgreSQL and API servers', () => {
    const policies = find(objs(dir), 'NetworkPolicy');
    const deny = policies.find((p) => Object.keys(p.spec.podSelector).length === 0);
    expect(deny?.spec.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(deny?.spec.ingress).toBeUndefined();
    expect(deny?.spec.egress).toBeUndefined();
    const podLabels = deployment().spec.template.metadata.labels;
    const mine = policies.filter((p) => Object.keys(p.spec.podSelector).length > 0 && selects(p.spec.podSelector, podLabels));
    expect(mine).toHaveLength(1);
    const policy = mine[0];
    expect(selects(policy.spec.podSelector, job().spec.template.metadata.labels)).toBe(true);
    expect(policy.spec.policyTypes).toEqual(['Ingress', 'Egress']);
    for (const rule of policy.spec.ingress) {
      expect(rule.ports).toEqual([{ protocol: 'TCP', port: 8080 }]);
      expect(rule.from?.length).toBeGreaterThan(0); // never "from anywhere"
      for (const peer of rule.from) expect(peer.ipBlock).toBeUndefined();
    }
    const egressPorts = policy.spec.egress.flatMap((r: Obj) => r.ports.map((p: Obj) => `${p.protocol}/${p.port}`)).sort();
    expect(egressPorts).toEqual(['TCP/443', 'TCP/53', 'TCP/5432', 'TCP/6443', 'UDP/53']);
    for (const r of policy.spec.egress) expect(r.ports.length).toBeGreaterThan(0); // no all-ports rule
  });

  test('Prometheus scrapes /metrics on the server port', () => {
    expect(deployment().spec.template.metadata.annotations).toMatchObject({
      'prometheus.io/scrape': 'true',
      'prometheus.io/port': '8080',
      'prometheus.io/path': '/metrics',
    });
  });

  test('Berth\'s own ServiceAccount has no token and the namespace enforces the restricted Pod Security profile', () => {
    const sa = one(objs(dir), 'ServiceAccount', deployment().spec.template.spec.serviceAccountName);
    expect(sa.automountServiceAccountToken).toBe(false);
    expect(deployment().spec.template.spec.enableServiceLinks).toBe(false);
    expect(one(objs(dir), 'Namespace', NAMESPACE).metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
  });

  test('configuration: every ConfigMap key is a setting Berth reads; secrets come from berth-secrets', () => {
    const configSource = readRepoFile('src/config/config.ts');
    const cmName = server().envFrom.find((e: Obj) => e.configMapRef).configMapRef.name;
    const cm = one(objs(dir), 'ConfigMap', cmName);
    for (const key of Object.keys(cm.data)) expect([key, configSource.includes(`'${key}'`) || configSource.includes(`env.${key}`)]).toEqual([key, true]);
    const env = Object.fromEntries(server().env.map((e: Obj) => [e.name, e]));
    for (const key of ['DATABASE_URL', 'BERTH_ENCRYPTION_KEY']) {
      expect(env[key].value).toBeUndefined();
      expect(env[key].valueFrom.secretKeyRef).toEqual({ name: secretName(dir), key }); // required: not optional
    }
    // No literal value for anything secret-looking, in any container.
    for (const workload of objs(dir).filter((o) => podSpec(o))) {
      for (const c of containersOf(podSpec(workload)!)) {
        for (const e of c.env ?? []) if (/KEY|TOKEN|PASSWORD|SECRET|DATABASE_URL/.test(e.name)) expect([label(workload), e.name, e.value]).toEqual([label(workload), e.name, undefined]);
      }
    }
  });

  test('the migration Job runs the migrate entry point from the same image, once, without restarts', () => {
    const spec = job().spec.template.spec;
    expect(spec.containers).toHaveLength(1);
    expect(spec.containers[0].command).toEqual(['node', 'dist/src/database/migrate.cli.js', 'deploy']);
    expect(spec.containers[0].image).toBe(server().image);
    expect(spec.restartPolicy).toBe('Never');
    expect(job().spec.backoffLimit).toBeGreaterThanOrEqual(1);
    expect(job().spec.activeDeadlineSeconds).toBeGreaterThan(0);
    const dbUrl = spec.containers[0].env.find((e: Obj) => e.name === 'DATABASE_URL');
    expect(dbUrl.valueFrom.secretKeyRef).toEqual({ name: secretName(dir), key: 'DATABASE_URL' });
    // Phase one of the documented rollout (`-l app.kubernetes.io/component!=server`) takes the
    // Job but not the server, its Service or its budget.
    const phaseOne = objs(dir).filter((o) => o.metadata.labels?.['app.kubernetes.io/component'] !== 'server');
    expect(phaseOne.map(label)).toContain('Job/berth/berth-migrate');
    expect(phaseOne.map((o) => o.kind)).not.toContain('PodDisruptionBudget');
    expect(phaseOne.map(label)).not.toContain('Deployment/berth/berth');
  });
});

describe('overlays/production', () => {
  const prod = (): Obj[] => objs('overlays/production');

  test('commits no Secret at all (berth-secrets is created out of band)', () => {
    expect(find(prod(), 'Secret')).toEqual([]);
  });

  test('pins an image tag or digest (never latest or untagged)', () => {
    for (const workload of prod().filter((o) => podSpec(o))) {
      for (const c of containersOf(podSpec(workload)!)) {
        expect(c.image).toMatch(/(@sha256:[0-9a-f]{64}|:[\w][\w.-]*)$/);
        expect(c.image).not.toMatch(/:latest$/);
      }
    }
  });

  test('the migration Job is ordered before the rollout for Argo CD', () => {
    expect(one(prod(), 'Job', 'berth-migrate').metadata.annotations).toMatchObject({ 'argocd.argoproj.io/hook': 'PreSync' });
  });

  test('its non-secret settings pass Berth\'s own configuration check', () => {
    const cmName = one(prod(), 'Deployment', 'berth').spec.template.spec.containers[0].envFrom[0].configMapRef.name;
    const env = one(prod(), 'ConfigMap', cmName).data;
    expect(() => loadConfig({ ...env, DATABASE_URL: 'postgresql://u:p@db:5432/berth', BERTH_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64') })).not.toThrow();
  });
});

describe('overlays/development', () => {
  const dev = (): Obj[] => objs('overlays/development');

  test('its generated secrets hold only obviously fake values that Berth accepts', () => {
    const secrets = find(dev(), 'Secret');
    expect(secrets.length).toBeGreaterThan(0);
    const secret = one(dev(), 'Secret', secretName('overlays/development'));
    const data = Object.fromEntries(Object.entries(secret.data as Record<string, string>).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]));
    expect(Object.keys(data).sort()).toEqual(['BERTH_BOOTSTRAP_TOKEN', 'BERTH_ENCRYPTION_KEY', 'DATABASE_URL']);
    expect(data.DATABASE_URL).toMatch(/not-secret/);
    expect(data.BERTH_BOOTSTRAP_TOKEN).toMatch(/dev_only.*not_secret/);
    expect(Buffer.from(data.BERTH_ENCRYPTION_KEY, 'base64').toString('utf8')).toMatch(/^dev-only-/);
    const cmName = one(dev(), 'Deployment', 'berth').spec.template.spec.containers[0].envFrom[0].configMapRef.name;
    const config = loadConfig({ ...one(dev(), 'ConfigMap', cmName).data, ...data });
    expect(config.encryptionKeys).toHaveLength(1);
    expect(config.databaseUrl).toMatch(/^postgresql:\/\/.*@berth-postgres:5432\//);
  });

  test('the throwaway PostgreSQL is reachable from Berth only', () => {
    const policy = one(dev(), 'NetworkPolicy', 'berth-postgres');
    const pg = one(dev(), 'Deployment', 'berth-postgres');
    expect(selects(policy.spec.podSelector, pg.spec.template.metadata.labels)).toBe(true);
    expect(policy.spec.ingress).toEqual([{ from: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'berth' } } }], ports: [{ protocol: 'TCP', port: 5432 }] }]);
    expect(policy.spec.egress).toBeUndefined();
  });
});

describe('committed files', () => {
  test('no secret material anywhere in the rendered production or base manifests', () => {
    for (const dir of ['base', 'overlays/production', 'managed-cluster']) {
      const text = JSON.stringify(objs(dir));
      expect(text).not.toMatch(/BEGIN [A-Z ]*PRIVATE KEY/);
      expect(text).not.toMatch(/postgres(ql)?:\/\/[^"]*:[^"@]+@/); // no URL with a password
      expect(text).not.toMatch(/berth_[A-Za-z0-9_-]{24,}/); // no API token
      for (const s of find(objs(dir), 'Secret')) {
        expect([label(s), s.data, s.stringData]).toEqual([label(s), undefined, undefined]);
      }
    }
  });
});

describe('managed-cluster RBAC', () => {
  const mc = (): Obj[] => objs('managed-cluster');
  const role = (): Obj => one(mc(), 'ClusterRole', 'berth-manager');
  /** verbs granted on "group/resource" */
  function verbs(resource: string): string[] {
    const [group, res] = resource.includes('/') && !resource.startsWith('pods/') && !resource.startsWith('deployments/') ? resource.split(/\/(.*)/) : ['', resource];
    const out = new Set<string>();
    for (const rule of role().rules) if (rule.apiGroups.includes(group) && rule.resources.includes(res)) for (const v of rule.verbs) out.add(v);
    return [...out].sort();
  }
  const RW = ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'];
  const RO = ['get', 'list', 'watch'];

  test('a ServiceAccount berth-manager in berth-system, bound cluster-wide to the berth-manager ClusterRole', () => {
    const sa = one(mc(), 'ServiceAccount', 'berth-manager');
    expect(sa.metadata.namespace).toBe('berth-system');
    expect(sa.automountServiceAccountToken).toBe(false);
    expect(one(mc(), 'Namespace', 'berth-system')).toBeDefined();
    const binding = one(mc(), 'ClusterRoleBinding', 'berth-manager');
    expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'berth-manager' });
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'berth-manager', namespace: 'berth-system' }]);
    expect(find(mc(), 'Role')).toEqual([]);
    expect(find(mc(), 'RoleBinding')).toEqual([]);
  });

  test('a long-lived token Secret with no committed value', () => {
    const token = one(mc(), 'Secret', 'berth-manager-token');
    expect(token.type).toBe('kubernetes.io/service-account-token');
    expect(token.metadata.namespace).toBe('berth-system');
    expect(token.metadata.annotations['kubernetes.io/service-account.name']).toBe('berth-manager');
    expect(token.data).toBeUndefined();
    expect(token.stringData).toBeUndefined();
  });

  test('no wildcards, no RBAC or escalation rights, no resource names outside the known list', () => {
    const allowedGroups = ['', 'apps', 'networking.k8s.io', 'autoscaling', 'policy', 'events.k8s.io'];
    for (const rule of role().rules) {
      expect(rule.verbs).not.toContain('*');
      expect(rule.resources).not.toContain('*');
      expect(rule.apiGroups).not.toContain('*');
      expect(rule.nonResourceURLs).toBeUndefined();
      for (const g of rule.apiGroups) expect(allowedGroups).toContain(g);
      for (const v of rule.verbs) expect(['get', 'list', 'watch', 'create', 'patch', 'update', 'delete']).toContain(v);
    }
    expect(find(mc(), 'ClusterRole')).toHaveLength(1);
    expect(role().aggregationRule).toBeUndefined();
  });

  test('exactly the verbs Berth needs on each resource', () => {
    expect(verbs('namespaces')).toEqual(['create', 'delete', 'get', 'list', 'patch', 'watch']);
    for (const r of ['serviceaccounts', 'configmaps', 'services', 'resourcequotas', 'limitranges']) expect([r, verbs(r)]).toEqual([r, RW]);
    for (const r of ['apps/deployments', 'networking.k8s.io/ingresses', 'networking.k8s.io/networkpolicies', 'autoscaling/horizontalpodautoscalers', 'policy/poddisruptionbudgets']) {
      expect([r, verbs(r)]).toEqual([r, RW]);
    }
    // Secrets are written, never enumerated cluster-wide.
    expect(verbs('secrets')).toEqual(['create', 'delete', 'get', 'patch', 'update']);
    expect(verbs('apps/replicasets')).toEqual(RO);
    expect(verbs('pods')).toEqual(RO);
    expect(verbs('events')).toEqual(RO);
    expect(verbs('events.k8s.io/events')).toEqual(RO);
    expect(verbs('pods/log')).toEqual(['get']);
    const scale = role().rules.find((r: Obj) => r.apiGroups.includes('apps') && r.resources.includes('deployments/scale'));
    expect(scale.verbs.sort()).toEqual(['get', 'patch', 'update']);
    // Nothing else: every granted resource is one of the above.
    const granted = role().rules.flatMap((r: Obj) => r.apiGroups.flatMap((g: string) => r.resources.map((res: string) => (g ? `${g}/${res}` : res))));
    expect(new Set(granted)).toEqual(
      new Set([
        'namespaces', 'serviceaccounts', 'configmaps', 'services', 'resourcequotas', 'limitranges', 'secrets',
        'apps/deployments', 'apps/deployments/scale', 'apps/replicasets', 'networking.k8s.io/ingresses', 'networking.k8s.io/networkpolicies',
        'autoscaling/horizontalpodautoscalers', 'policy/poddisruptionbudgets', 'pods', 'pods/log', 'events', 'events.k8s.io/events',
      ]),
    );
  });
});
