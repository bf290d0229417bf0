import { spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandboxCluster, type SandboxCluster } from '../src/index.js';
import { at, deployment, fastCluster, http, waitFor } from './helpers.js';

const CM = '/api/v1/namespaces/default/configmaps';
const DEPLOY = '/apis/apps/v1/namespaces/default/deployments';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sandbox-data-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function firstWatchLine(cluster: SandboxCluster, path: string): Promise<Record<string, unknown>> {
  const res = await fetch(`${cluster.url}${path}`);
  const reader = res.body!.getReader();
  let text = '';
  while (!text.includes('\n')) {
    const { value, done } = await reader.read();
    if (done) break;
    text += Buffer.from(value).toString('utf8');
  }
  await reader.cancel();
  return JSON.parse(text.split('\n')[0]!) as Record<string, unknown>;
}

describe('a sandbox with a data directory', () => {
  it('keeps objects, resourceVersions and its port across a restart; old watches get 410, current ones continue', async () => {
    const first = await fastCluster({ dataDir: dir });
    const created = await http(first, 'POST', CM, { metadata: { name: 'kept' }, data: { a: '1' } });
    await http(first, 'POST', DEPLOY, deployment('web', 'nginx:1.27', 2));
    await waitFor(async () => at((await http(first, 'GET', `${DEPLOY}/web`)).body, 'status.availableReplicas') === 2, 'web available');
    const before = await http(first, 'GET', `${DEPLOY}/web`);
    const list = await http(first, 'GET', CM);
    const listRv = String(at(list.body, 'metadata.resourceVersion'));
    await first.stop();

    const second = await fastCluster({ dataDir: dir });
    try {
      expect(second.port).toBe(first.port);
      // (The client's pooled connection to the old process may fail once: retry, bounded.)
      const kept = await waitFor(() => http(second, 'GET', `${CM}/kept`), 'first request after the restart');
      expect(kept.body).toEqual(created.body);
      const web = await http(second, 'GET', `${DEPLOY}/web`);
      expect(at(web.body, 'metadata.resourceVersion')).toBe(at(before.body, 'metadata.resourceVersion'));
      expect(at(web.body, 'metadata.uid')).toBe(at(before.body, 'metadata.uid'));
      expect(Number(at((await http(second, 'GET', CM)).body, 'metadata.resourceVersion'))).toBeGreaterThanOrEqual(Number(listRv));
      // The history did not survive: a watch from before the restart is told to relist.
      const old = await firstWatchLine(second, `${CM}?watch=true&resourceVersion=2`);
      expect(old).toMatchObject({ type: 'ERROR', object: { code: 410, reason: 'Expired' } });
      // A watch from the current revision sees what happens next.
      const rv = String(at((await http(second, 'GET', CM)).body, 'metadata.resourceVersion'));
      const next = firstWatchLine(second, `${CM}?watch=true&resourceVersion=${rv}`);
      const made = await http(second, 'POST', CM, { metadata: { name: 'after' } });
      expect(Number(at(made.body, 'metadata.resourceVersion'))).toBeGreaterThan(Number(rv));
      expect(await next).toMatchObject({ type: 'ADDED', object: { metadata: { name: 'after' } } });
      // Controllers resume: the Deployment stays available and can be scaled.
      await http(second, 'PATCH', `${DEPLOY}/web`, { spec: { replicas: 3 } }, 'application/merge-patch+json');
      await waitFor(async () => at((await http(second, 'GET', `${DEPLOY}/web`)).body, 'status.availableReplicas') === 3, 'web scaled after restart');
      // A new Service never gets the address of a restored one.
      const ips = new Set<unknown>();
      for (const name of ['s1', 's2']) ips.add(at((await http(second, 'POST', '/api/v1/namespaces/default/services', { metadata: { name }, spec: { ports: [{ port: 80 }] } })).body, 'spec.clusterIP'));
      ips.add(at((await http(second, 'GET', '/api/v1/namespaces/default/services/kubernetes')).body, 'spec.clusterIP'));
      expect(ips.size).toBe(3);
    } finally {
      await second.stop();
    }
  });

  it('survives kill -9 and a torn last log line', async () => {
    const main = join(process.cwd(), 'packages/sandbox/dist/src/main.js');
    const child = spawn(process.execPath, [main, '--data-dir', dir, '--port', '0', '--kubeconfig', join(dir, 'kubeconfig')], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      const url = await waitFor(() => /listening on (http:\/\/\S+)/.exec(out)?.[1], 'child sandbox listening');
      const fake = { url } as SandboxCluster;
      for (let i = 0; i < 20; i++) expect((await http(fake, 'POST', CM, { metadata: { name: `cm-${i}` }, data: { i: String(i) } })).status).toBe(201);
      const last = await http(fake, 'GET', `${CM}/cm-19`);
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      // A write torn by the crash: half a line at the end of the log.
      appendFileSync(join(dir, 'changes.jsonl'), '{"r":99999,"k":"v1/configmaps","o":{"metadata":{"na');
      const again = await startSandboxCluster({ dataDir: dir, port: 0, kubeconfigPath: join(dir, 'kubeconfig2') });
      try {
        const names = ((await http(again, 'GET', CM)).body['items'] as { metadata: { name: string } }[]).map((c) => c.metadata.name);
        for (let i = 0; i < 20; i++) expect(names).toContain(`cm-${i}`);
        expect((await http(again, 'GET', `${CM}/cm-19`)).body).toEqual(last.body);
      } finally {
        await again.stop();
      }
      // A clean stop leaves a snapshot and an empty log.
      expect(readFileSync(join(dir, 'changes.jsonl'), 'utf8')).toBe('');
    } finally {
      child.kill('SIGKILL');
    }
  });
});

it('stopping twice writes the snapshot once and leaves the directory usable', async () => {
  const cluster = await fastCluster({ dataDir: dir });
  await http(cluster, 'POST', CM, { metadata: { name: 'twice' } });
  await cluster.stop();
  await cluster.stop();
  const again = await fastCluster({ dataDir: dir });
  try {
    expect((await waitFor(() => http(again, 'GET', `${CM}/twice`), 'restored object')).status).toBe(200);
  } finally {
    await again.stop();
  }
});
