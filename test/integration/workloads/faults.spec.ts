// Faults: several Berth instances, a killed instance, a throttling cluster.
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { SandboxCluster } from '@berth/sandbox';
import { newApp, newTeam } from '../../support/factories.js';
import { expectStatus } from '../../support/http.js';
import { eventually, kubectl, newSandbox, registerCluster } from '../../support/sandbox.js';
import { createTestApp, TEST_ENCRYPTION_KEY, type TestApp } from '../../support/test-app.js';
import { freePort } from '../../support/postgres-server.mjs';

interface Release {
  status: { phase: string };
}

async function finished(app: TestApp, path: string, n: number): Promise<string> {
  return eventually(async () => {
    const r = (await app.admin.get<Release>(`${path}/releases/${n}`)).body;
    return ['succeeded', 'failed'].includes(r.status?.phase) ? r.status.phase : undefined;
  }, `v${n} to finish`, 400, 50);
}

describe('faults', () => {
  let cluster: SandboxCluster;
  beforeAll(async () => {
    cluster = await newSandbox('faulty');
  });
  afterAll(async () => {
    await cluster.stop();
  });

  it('applies each change exactly once with two Berth instances on one database', async () => {
    const first = await createTestApp({ env: { BERTH_RESYNC_INTERVAL_MS: '3600000', BERTH_RATE_LIMIT_ENABLED: 'false' } });
    const second = await createTestApp({ databaseUrl: first.databaseUrl, env: { BERTH_RESYNC_INTERVAL_MS: '3600000', BERTH_RATE_LIMIT_ENABLED: 'false' } });
    try {
      await registerCluster(first, cluster);
      const parent = await newApp(first);
      const client = parent.team.owner.client;
      const path = `/v1/apps/${parent.name}/environments/once`;
      expectStatus(await client.post(`/v1/apps/${parent.name}/environments`, { name: 'once', progress_deadline_seconds: 3600 }), 201);
      await eventually(async () => ((await first.admin.get<{ sync: { applied_generation: number; desired_generation: number } }>(path)).body.sync.applied_generation >= 1 ? true : undefined), 'namespace applied');
      cluster.resetStats();
      expectStatus(await client.post(`${path}/releases`, { image: 'example.com/app:1' }), 201);
      expect(await finished(first, path, 1)).toBe('succeeded');
      // The deploy changes four objects (release Secret, the quota's pod count, Deployment, Service):
      // one write each, whichever instance ran it, and none twice.
      const stats = cluster.stats();
      const writes = Object.fromEntries(Object.entries(stats.byResource).filter(([, v]) => v.mutating > 0).map(([k, v]) => [k, v.mutating]));
      expect(writes).toEqual({ secrets: 1, resourcequotas: 1, 'deployments.apps': 1, services: 1 });
    } finally {
      await second.close();
      await first.close();
    }
  });

  it('honours 429 Retry-After from a throttling cluster and finishes once it stops', async () => {
    const app = await createTestApp({ env: { BERTH_RESYNC_INTERVAL_MS: '3600000' } });
    try {
      await registerCluster(app, cluster);
      const parent = await newApp(app);
      const path = `/v1/apps/${parent.name}/environments/slow`;
      cluster.faults.set({ throttle: true, retryAfterSeconds: 1 });
      cluster.resetStats();
      expectStatus(await parent.team.owner.client.post(`/v1/apps/${parent.name}/environments`, { name: 'slow', progress_deadline_seconds: 3600 }), 201);
      expectStatus(await parent.team.owner.client.post(`${path}/releases`, { image: 'example.com/app:1' }), 201);
      await eventually(async () => (cluster.stats().errors >= 2 ? true : undefined), 'throttled requests');
      cluster.faults.set({ throttle: false });
      expect(await finished(app, path, 1)).toBe('succeeded');
    } finally {
      await cluster.faults.reset();
      await app.close();
    }
  });

  it('loses no work when an instance is killed in the middle of a deploy', async () => {
    // The API-only instance takes the deploy; a separate Berth process runs the workers and is killed mid-apply.
    const api = await createTestApp({ env: { BERTH_WORKERS_ENABLED: 'false' } });
    const port = await freePort();
    const child = spawn(process.execPath, ['dist/src/main.js'], {
      env: { ...process.env, DATABASE_URL: api.databaseUrl, PORT: String(port), HOST: '127.0.0.1', BERTH_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY, BERTH_BOOTSTRAP_TOKEN: api.adminToken, BERTH_SANDBOX_WHEN_EMPTY: 'false', LOG_LEVEL: 'silent', BERTH_RESYNC_INTERVAL_MS: '3600000' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let childErrors = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      childErrors = (childErrors + chunk.toString()).slice(-4000);
    });
    let survivor: TestApp | undefined;
    try {
      await registerCluster(api, cluster);
      const team = await newTeam(api);
      const parent = await newApp(api, { team });
      const path = `/v1/apps/${parent.name}/environments/crash`;
      await eventually(
        async () => {
          if (child.exitCode !== null) throw new Error(`the worker process exited with ${child.exitCode}: ${childErrors}`);
          return (await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => undefined))?.ok ? true : undefined;
        },
        'worker process ready',
        600,
        100,
      ).catch((error: unknown) => {
        throw new Error(`${String(error)}; its stderr: ${childErrors}`);
      });
      cluster.faults.set({ latencyMs: 400 });
      cluster.resetStats();
      expectStatus(await team.owner.client.post(`/v1/apps/${parent.name}/environments`, { name: 'crash', progress_deadline_seconds: 3600 }), 201);
      expectStatus(await team.owner.client.post(`${path}/releases`, { image: 'example.com/app:7' }), 201);
      await eventually(async () => (cluster.stats().mutating >= 1 ? true : undefined), 'the deploy to start', 300, 20);
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      cluster.faults.set({ latencyMs: 0 });
      // Another instance picks the work up: the periodic resync re-queues what the dead one held.
      survivor = await createTestApp({ databaseUrl: api.databaseUrl, env: { BERTH_RESYNC_INTERVAL_MS: '1000' } });
      expect(await finished(survivor, path, 1)).toBe('succeeded');
      const deployment = JSON.parse(await kubectl(cluster, ['get', 'deployment', 'web', '-n', `${parent.name}-crash`, '-o', 'json'])) as { spec: { template: { spec: { containers: Array<{ image: string }> } } } };
      expect(deployment.spec.template.spec.containers[0]!.image).toBe('example.com/app:7');
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      await cluster.faults.reset();
      await survivor?.close();
      await api.close();
    }
  });
});
