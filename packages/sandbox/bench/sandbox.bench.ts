import autocannon from 'autocannon';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Worker } from 'node:worker_threads';
import { ClusterCore } from '../src/cluster.js';
import { R } from '../src/resources.js';
import { DEFAULT_SETTINGS } from '../src/settings.js';

/**
 * Sandbox cluster benchmark: mutating requests per second over loopback (concurrent keep-alive
 * clients against a sandbox on another thread) and memory for 100,000 stored objects.
 * Goals: ≥ 2,000 mutating requests/s; < 1 GiB for 100,000 objects.
 */
const DURATION = Number(process.env['BENCH_DURATION'] ?? 5);
const CONNECTIONS = Number(process.env['BENCH_CONNECTIONS'] ?? 32);
const OBJECTS = Number(process.env['BENCH_OBJECTS'] ?? 100_000);

interface Row {
  metric: string;
  value: string;
  goal: string;
  ok: boolean;
}

function run(opts: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon(opts, (err, result) => (err ? reject(err) : resolve(result)));
  });
}

async function startWorker(dataDir?: string): Promise<{ url: string; worker: Worker }> {
  const worker = new Worker(new URL('./sandbox-worker.js', import.meta.url), { workerData: { dataDir } });
  const url = await new Promise<string>((resolve, reject) => {
    worker.once('message', (m: { url: string }) => resolve(m.url));
    worker.once('error', reject);
  });
  return { url, worker };
}

async function throughput(rows: Row[]): Promise<void> {
  const { url, worker } = await startWorker();
  const base = `${url}/api/v1/namespaces/default/configmaps`;
  let counter = 0;
  const headers = { 'content-type': 'application/json' };
  const create = await run({
    url: base,
    method: 'POST',
    headers,
    connections: CONNECTIONS,
    duration: DURATION,
    requests: [{ setupRequest: (req: autocannon.Request) => {
      counter++;
      return { ...req, body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `bench-${counter}`, labels: { app: 'bench' } }, data: { key: 'value' } }) };
    } }],
  });
  if (create.non2xx) console.error(`create: ${create.non2xx} non-2xx responses`);
  const createRate = create.requests.average;
  rows.push({ metric: 'POST create ConfigMap (req/s)', value: createRate.toFixed(0), goal: '≥ 2000', ok: createRate >= 2000 && create.non2xx === 0 });
  await run({ url: base, method: 'POST', headers, connections: 1, amount: 1, body: JSON.stringify({ metadata: { name: 'target' }, data: { n: '0' } }) });
  const patch = await run({
    url: `${base}/target`,
    method: 'PATCH',
    headers: { 'content-type': 'application/merge-patch+json' },
    connections: CONNECTIONS,
    duration: DURATION,
    requests: [{ setupRequest: (req: autocannon.Request) => ({ ...req, body: JSON.stringify({ data: { n: String(++counter) } }) }) }],
  });
  if (patch.non2xx) console.error(`patch: ${patch.non2xx} non-2xx responses`);
  const patchRate = patch.requests.average;
  rows.push({ metric: 'PATCH merge ConfigMap (req/s)', value: patchRate.toFixed(0), goal: '≥ 2000', ok: patchRate >= 2000 && patch.non2xx === 0 });
  const apply = await run({
    url: `${base}/applied?fieldManager=bench`,
    method: 'PATCH',
    headers: { 'content-type': 'application/apply-patch+yaml' },
    connections: CONNECTIONS,
    duration: DURATION,
    requests: [{ setupRequest: (req: autocannon.Request) => ({ ...req, body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'applied' }, data: { n: String(++counter) } }) }) }],
  });
  if (apply.non2xx) console.error(`apply: ${apply.non2xx} non-2xx responses`);
  const applyRate = apply.requests.average;
  rows.push({ metric: 'PATCH server-side apply (req/s)', value: applyRate.toFixed(0), goal: '≥ 2000', ok: applyRate >= 2000 && apply.non2xx === 0 });
  const deployments = await run({
    url: `${url}/apis/apps/v1/namespaces/default/deployments`,
    method: 'POST',
    headers,
    connections: CONNECTIONS,
    duration: DURATION,
    requests: [{ setupRequest: (req: autocannon.Request) => {
      const name = `bench-${++counter}`;
      const labels = { app: name };
      return { ...req, body: JSON.stringify({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name }, spec: { replicas: 1, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] } } } }) };
    } }],
  });
  if (deployments.non2xx) console.error(`deployments: ${deployments.non2xx} non-2xx responses`);
  rows.push({ metric: 'POST create Deployment, controllers running (req/s)', value: deployments.requests.average.toFixed(0), goal: '-', ok: deployments.non2xx === 0 });
  const get = await run({ url: `${base}/target`, connections: CONNECTIONS, duration: DURATION });
  if (get.non2xx) console.error(`get: ${get.non2xx} non-2xx responses`);
  rows.push({ metric: 'GET ConfigMap (req/s, for reference)', value: get.requests.average.toFixed(0), goal: '-', ok: get.non2xx === 0 });
  worker.postMessage('stop');
  await new Promise((r) => worker.once('exit', r));
}

/** The same creates against a sandbox that persists every write to a data directory. */
async function persistentThroughput(rows: Row[]): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'sandbox-bench-'));
  const { url, worker } = await startWorker(dir);
  let counter = 0;
  const create = await run({
    url: `${url}/api/v1/namespaces/default/configmaps`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    connections: CONNECTIONS,
    duration: DURATION,
    requests: [{ setupRequest: (req: autocannon.Request) => ({ ...req, body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `p-${++counter}` }, data: { key: 'value' } }) }) }],
  });
  if (create.non2xx) console.error(`persistent create: ${create.non2xx} non-2xx responses`);
  const rate = create.requests.average;
  rows.push({ metric: 'POST create ConfigMap with dataDir (req/s)', value: rate.toFixed(0), goal: '≥ 2000', ok: rate >= 2000 && create.non2xx === 0 });
  worker.postMessage('stop');
  await new Promise((r) => worker.once('exit', r));
  rmSync(dir, { recursive: true, force: true });
}

function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  gc();
  gc();
}

function memory(rows: Row[]): void {
  collectGarbage();
  const before = process.memoryUsage();
  const core = new ClusterCore({ ...DEFAULT_SETTINGS }, 10000);
  const start = Date.now();
  for (let i = 0; i < OBJECTS; i++) {
    core.registry.create(
      R.configmaps,
      'default',
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: `cm-${i}`, labels: { app: `app-${i % 100}`, tier: 'bench' }, annotations: { note: 'benchmark object' } },
        data: { 'config.yaml': `key: value-${i}\nother: ${'x'.repeat(64)}\n` },
      },
      { fieldManager: 'bench' },
    );
  }
  const elapsed = Date.now() - start;
  collectGarbage();
  const after = process.memoryUsage();
  core.stop();
  const heapMiB = (after.heapUsed - before.heapUsed) / 2 ** 20;
  const rssMiB = after.rss / 2 ** 20;
  rows.push({ metric: `Heap for ${OBJECTS.toLocaleString('en')} ConfigMaps (MiB)`, value: heapMiB.toFixed(0), goal: '< 1024', ok: heapMiB < 1024 });
  rows.push({ metric: 'Process RSS after load (MiB)', value: rssMiB.toFixed(0), goal: '< 1024', ok: rssMiB < 1024 });
  rows.push({ metric: 'In-process creates (objects/s)', value: ((OBJECTS / elapsed) * 1000).toFixed(0), goal: '-', ok: true });
}

const rows: Row[] = [];
await throughput(rows);
await persistentThroughput(rows);
memory(rows);
console.log(`\n### Sandbox cluster benchmark (${CONNECTIONS} connections, ${DURATION}s per run, Node ${process.version})\n`);
console.log('| Metric | Value | Goal | Met |');
console.log('|---|---:|---|---|');
for (const r of rows) console.log(`| ${r.metric} | ${r.value} | ${r.goal} | ${r.ok ? 'yes' : 'NO'} |`);
process.exitCode = rows.every((r) => r.ok) ? 0 : 1;
