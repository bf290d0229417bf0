import { request as httpRequest, Agent } from 'node:http';
import { performance } from 'node:perf_hooks';
import { fork, type ChildProcess } from 'node:child_process';

/**
 * Sandbox CPU per applied environment, the shape of Berth's bench row 7: a sandbox cluster in its
 * own process with the row's settings (rolloutDelayMs 20, timeFactor 0.002), informer-style watches
 * (cluster-wide, labelSelector managed-by=berth) on the kinds Berth watches, then N environments of
 * eight objects each server-side applied (fieldManager=berth, force=true) by C concurrent clients,
 * then a pause for the controllers (ReplicaSets, pods, endpoints, quotas) to settle.
 * Reported: the sandbox process's CPU milliseconds per environment.
 * `BENCH_ENVS` (default 1000), `BENCH_CONCURRENCY` (16), `BENCH_SETTLE_MS` (3000), `BENCH_REST_MS` (3000),
 * `BENCH_HOST_NODE_ARGS` (Node options for the sandbox process, e.g. --trace-gc).
 * BENCH_PROFILE=apply|rest records a CPU profile of the sandbox process during that phase into
 * BENCH_PROFILE_FILE (default env-apply.cpuprofile); summarise it with bench/lib/profile-summary.
 */
const ENVS = Number(process.env['BENCH_ENVS'] ?? 1000);
const CONCURRENCY = Number(process.env['BENCH_CONCURRENCY'] ?? 16);
const SETTLE_MS = Number(process.env['BENCH_SETTLE_MS'] ?? 3000);
const SELECTOR = 'app.kubernetes.io/managed-by=berth';
const WATCHED = [
  'api/v1/namespaces',
  'api/v1/serviceaccounts',
  'api/v1/secrets',
  'api/v1/resourcequotas',
  'api/v1/limitranges',
  'apis/networking.k8s.io/v1/networkpolicies',
  'apis/apps/v1/deployments',
  'api/v1/services',
  'apis/networking.k8s.io/v1/ingresses',
  'apis/autoscaling/v2/horizontalpodautoscalers',
  'apis/policy/v1/poddisruptionbudgets',
  'api/v1/pods',
];

type Obj = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; labels: Record<string, string> }; [k: string]: unknown };

/** The eight objects Berth renders for one environment (captured from row 7). */
function environment(i: number): Obj[] {
  const team = `t${i % 7}`;
  const app = `a-${team}-${i % 50}`;
  const env = `e${i}`;
  const ns = `${app}-${env}`;
  const labels = {
    'app.kubernetes.io/managed-by': 'berth',
    'app.kubernetes.io/name': app,
    'app.kubernetes.io/instance': ns,
    'berth.dev/team': team,
    'berth.dev/app': app,
    'berth.dev/environment': env,
    'berth.dev/environment-id': `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
  };
  const web = { ...labels, 'berth.dev/process-type': 'web', 'app.kubernetes.io/component': 'web' };
  const selector = { 'berth.dev/app': app, 'berth.dev/environment': env, 'berth.dev/process-type': 'web' };
  const probe = (period: number, failures: number) => ({ tcpSocket: { port: 8080 }, periodSeconds: period, timeoutSeconds: 2, failureThreshold: failures });
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: { ...labels, 'pod-security.kubernetes.io/enforce': 'restricted' } } },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'app', namespace: ns, labels }, automountServiceAccountToken: false },
    { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'release-v1', namespace: ns, labels: { ...labels, 'berth.dev/release': '1' } }, type: 'Opaque', immutable: true, data: {} },
    { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'berth-quota', namespace: ns, labels }, spec: { hard: { 'requests.cpu': '8250m', 'requests.memory': '16896Mi', pods: '3' } } },
    {
      apiVersion: 'v1',
      kind: 'LimitRange',
      metadata: { name: 'berth-defaults', namespace: ns, labels },
      spec: { limits: [{ type: 'Container', default: { cpu: '500m', memory: '512Mi' }, defaultRequest: { cpu: '250m', memory: '512Mi' }, max: { cpu: '4', memory: '4Gi' } }] },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'deny-other-teams', namespace: ns, labels },
      spec: { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'berth.dev/team': team } } }, { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } }] }] },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: ns, labels: { ...web, 'berth.dev/release': '1' } },
      spec: {
        replicas: 1,
        selector: { matchLabels: selector },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: '25%' } },
        revisionHistoryLimit: 5,
        progressDeadlineSeconds: 300,
        template: {
          metadata: { labels: { ...web, 'berth.dev/release': '1' }, annotations: { 'berth.dev/release': '1' } },
          spec: {
            serviceAccountName: 'app',
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            terminationGracePeriodSeconds: 30,
            securityContext: { runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001, seccompProfile: { type: 'RuntimeDefault' } },
            containers: [
              {
                name: 'web',
                image: 'registry.example.com/bench/web:1.0.0',
                envFrom: [{ secretRef: { name: 'release-v1' } }],
                env: [{ name: 'PORT', value: '8080' }],
                ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
                resources: { requests: { cpu: '250m', memory: '512Mi' }, limits: { cpu: '500m', memory: '512Mi' } },
                readinessProbe: probe(5, 3),
                livenessProbe: probe(10, 6),
                startupProbe: probe(2, 60),
                securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
              },
            ],
          },
        },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web', namespace: ns, labels: web },
      spec: { type: 'ClusterIP', selector, ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }] },
    },
  ];
}

const PLURALS: Record<string, string> = {
  Namespace: 'namespaces',
  ServiceAccount: 'serviceaccounts',
  Secret: 'secrets',
  ResourceQuota: 'resourcequotas',
  LimitRange: 'limitranges',
  NetworkPolicy: 'networkpolicies',
  Deployment: 'deployments',
  Service: 'services',
};

function pathOf(o: Obj): string {
  const base = o.apiVersion === 'v1' ? '/api/v1' : `/apis/${o.apiVersion}`;
  const ns = o.metadata.namespace ? `/namespaces/${o.metadata.namespace}` : '';
  return `${base}${ns}/${PLURALS[o.kind]}/${o.metadata.name}?fieldManager=berth&force=true`;
}

const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });

function patch(base: URL, o: Obj): Promise<number> {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify(o);
    const req = httpRequest(new URL(pathOf(o), base), { method: 'PATCH', agent, headers: { 'content-type': 'application/apply-patch+yaml', 'content-length': Buffer.byteLength(body) } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Informer-style watches; events are counted, not parsed (the client's cost is not the point). */
function watch(base: URL, path: string, counter: { bytes: number }): () => void {
  const req = httpRequest(new URL(`/${path}?watch=true&allowWatchBookmarks=true&labelSelector=${encodeURIComponent(SELECTOR)}&resourceVersion=1`, base), (res) => {
    res.on('data', (chunk: Buffer) => (counter.bytes += chunk.length));
  });
  req.on('error', () => undefined);
  req.end();
  return () => req.destroy();
}

function ask<T>(host: ChildProcess, msg: string): Promise<T> {
  return new Promise((resolve) => {
    const on = (raw: unknown): void => {
      const m = raw as { reply?: string; value?: T };
      if (m.reply !== msg) return;
      host.off('message', on);
      resolve(m.value as T);
    };
    host.on('message', on);
    host.send(msg);
  });
}

// The sandbox in its own process, as in row 7: its CPU time is its own (process.cpuUsage there).
const host = fork(new URL('./env-apply-host.js', import.meta.url), [], { execArgv: (process.env['BENCH_HOST_NODE_ARGS'] ?? '').split(' ').filter(Boolean) });
const url = await new Promise<string>((resolve, reject) => {
  host.once('message', (m) => resolve((m as { url: string }).url));
  host.once('error', reject);
});
const base = new URL(url);
const counter = { bytes: 0 };
const stops = WATCHED.map((p) => watch(base, p, counter));
await new Promise((r) => setTimeout(r, 200));
const PROFILE = process.env['BENCH_PROFILE'];
if (PROFILE === 'apply') await ask(host, 'prof-start');
type Cpu = { process: number; main: number };
const cpu = (): Promise<Cpu> => ask<Cpu>(host, 'cpu');
const c0 = await cpu();
const t0 = performance.now();
let next = 0;
let failures = 0;
await Promise.all(
  Array.from({ length: CONCURRENCY }, async () => {
    while (next < ENVS) {
      const i = next++;
      for (const o of environment(i)) if ((await patch(base, o)) >= 300) failures++;
    }
  }),
);
const applyS = (performance.now() - t0) / 1000;
const c1 = await cpu();
await new Promise((r) => setTimeout(r, SETTLE_MS));
const c2 = await cpu();
// At rest: nothing applied any more, but pods that do not fit the node are retried (kube-scheduler's
// pace). The apply profile covers the apply phase and the settling; a profiler adds its own CPU.
const REST_MS = Number(process.env['BENCH_REST_MS'] ?? 3000);
if (PROFILE === 'apply') await ask(host, `prof-stop:${process.env['BENCH_PROFILE_FILE'] ?? 'env-apply.cpuprofile'}`);
if (PROFILE === 'rest') await ask(host, 'prof-start');
await new Promise((r) => setTimeout(r, REST_MS));
if (PROFILE === 'rest') await ask(host, `prof-stop:${process.env['BENCH_PROFILE_FILE'] ?? 'env-apply.cpuprofile'}`);
const revision = await ask<number>(host, 'revision');
const c3 = await cpu();
for (const s of stops) s();
agent.destroy();
await ask(host, 'stop');
console.log(`\n### Sandbox CPU per applied environment (${ENVS} environments × 8 objects, ${CONCURRENCY} clients, settle ${SETTLE_MS} ms, Node ${process.version})\n`);
console.log('| Metric | Value |');
console.log('|---|---:|');
console.log(`| Apply phase (s) | ${applyS.toFixed(1)} |`);
console.log(`| Environments/s while applying | ${(ENVS / applyS).toFixed(0)} |`);
const per = (a: number, b: number): string => ((b - a) / ENVS).toFixed(2);
const share = (a: number, b: number): string => (((b - a) / REST_MS) * 100).toFixed(1);
console.log(`| Sandbox CPU ms per environment, apply phase: process / main thread | ${per(c0.process, c1.process)} / ${per(c0.main, c1.main)} |`);
console.log(`| Sandbox CPU ms per environment, incl. controllers settling: process / main thread | ${per(c0.process, c2.process)} / ${per(c0.main, c2.main)} |`);
console.log(`| Sandbox CPU at rest afterwards (% of a core): process / main thread | ${share(c2.process, c3.process)} / ${share(c2.main, c3.main)} |`);
console.log(`| Store revisions (writes) | ${revision} |`);
console.log(`| Watch bytes streamed | ${counter.bytes} |`);
console.log(`| Failed applies | ${failures} |`);
process.exitCode = failures ? 1 : 0;
