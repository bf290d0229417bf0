// After a crash (SIGKILL), the jobs the dead process held are taken over as soon as a Berth runs
// again, not at the next resync and not after graphile-worker's four-hour stale-lock reset; jobs of
// a live replica are never taken.
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import type { SandboxCluster } from '@berth/sandbox';
import { newApp, newTeam } from '../support/factories.js';
import { expectStatus } from '../support/http.js';
import { eventually, newSandbox, registerCluster } from '../support/sandbox.js';
import { createTestApp, TEST_ENCRYPTION_KEY, type TestApp } from '../support/test-app.js';
import { freePort } from '../support/postgres-server.mjs';

const HOUR = '3600000';

async function phase(app: TestApp, path: string, n: number): Promise<string | undefined> {
  const r = (await app.admin.get<{ status?: { phase: string } }>(`${path}/releases/${n}`)).body;
  return r.status?.phase;
}

async function startWorkerProcess(api: TestApp): Promise<{ child: ChildProcess; stderr: () => string }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['dist/src/main.js'], {
    env: { ...process.env, DATABASE_URL: api.databaseUrl, PORT: String(port), HOST: '127.0.0.1', BERTH_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY, BERTH_BOOTSTRAP_TOKEN: api.adminToken, BERTH_SANDBOX_WHEN_EMPTY: 'false', LOG_LEVEL: 'silent', BERTH_RESYNC_INTERVAL_MS: HOUR },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let errors = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    errors = (errors + chunk.toString()).slice(-4000);
  });
  await eventually(
    async () => {
      if (child.exitCode !== null) throw new Error(`the worker process exited with ${child.exitCode}: ${errors}`);
      return (await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => undefined))?.ok ? true : undefined;
    },
    'worker process ready',
    600,
    100,
  ).catch((error: unknown) => {
    child.kill('SIGKILL');
    throw new Error(`${String(error)}; its stderr: ${errors}`);
  });
  return { child, stderr: () => errors };
}

describe('work queue after a crash', () => {
  let cluster: SandboxCluster;
  beforeAll(async () => {
    cluster = await newSandbox('crashy');
  });
  afterAll(async () => {
    await cluster.stop();
  });

  it('resumes the work a SIGKILLed process held within seconds of a restart, with the resync an hour away', async () => {
    const api = await createTestApp({ env: { BERTH_WORKERS_ENABLED: 'false' } });
    const { child } = await startWorkerProcess(api);
    let restarted: TestApp | undefined;
    const db = new pg.Client({ connectionString: api.databaseUrl });
    await db.connect();
    try {
      await registerCluster(api, cluster);
      const team = await newTeam(api);
      const parent = await newApp(api, { team });
      const path = `/v1/apps/${parent.name}/environments/crash`;
      cluster.faults.set({ latencyMs: 400 });
      cluster.resetStats();
      expectStatus(await team.owner.client.post(`/v1/apps/${parent.name}/environments`, { name: 'crash', progress_deadline_seconds: 3600 }), 201);
      expectStatus(await team.owner.client.post(`${path}/releases`, { image: 'example.com/app:7' }), 201);
      await eventually(async () => (cluster.stats().mutating >= 1 ? true : undefined), 'the deploy to start', 300, 20);
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      cluster.faults.set({ latencyMs: 0 });
      // The dead process still holds its job: nothing else would run it for hours.
      const held = await db.query<{ n: string }>('SELECT count(*)::text AS n FROM graphile_worker._private_jobs WHERE locked_by IS NOT NULL');
      expect(Number(held.rows[0]?.n)).toBeGreaterThan(0);
      restarted = await createTestApp({ databaseUrl: api.databaseUrl, env: { BERTH_RESYNC_INTERVAL_MS: HOUR } });
      // Bounded: 15 s, far below the resync interval of an hour.
      const done = await eventually(async () => ((await phase(restarted!, path, 1)) === 'succeeded' ? true : undefined), 'the deploy to finish after the restart', 150, 100);
      expect(done).toBe(true);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      await db.end();
      await cluster.faults.reset();
      await restarted?.close();
      await api.close();
    }
  });

  it("never takes the jobs a live replica holds", async () => {
    const api = await createTestApp({ env: { BERTH_WORKERS_ENABLED: 'false' } });
    const { child } = await startWorkerProcess(api);
    let other: TestApp | undefined;
    const db = new pg.Client({ connectionString: api.databaseUrl });
    await db.connect();
    try {
      await registerCluster(api, cluster);
      const team = await newTeam(api);
      const parent = await newApp(api, { team });
      const path = `/v1/apps/${parent.name}/environments/busy`;
      cluster.faults.set({ latencyMs: 1500 });
      expectStatus(await team.owner.client.post(`/v1/apps/${parent.name}/environments`, { name: 'busy' }), 201);
      const locked = await eventually(async () => {
        const { rows } = await db.query<{ locked_by: string }>('SELECT locked_by FROM graphile_worker._private_jobs WHERE locked_by IS NOT NULL LIMIT 1');
        return rows[0]?.locked_by;
      }, 'the live process to hold a job', 300, 20);
      // A second replica starts and sweeps for dead workers while the first is still working.
      other = await createTestApp({ databaseUrl: api.databaseUrl, env: { BERTH_RESYNC_INTERVAL_MS: HOUR, BERTH_WORKERS_ENABLED: 'true' } });
      const { rows } = await db.query<{ locked_by: string | null }>('SELECT locked_by FROM graphile_worker._private_jobs WHERE locked_by = $1', [locked]);
      expect(rows.map((r) => r.locked_by)).toEqual([locked]);
      cluster.faults.set({ latencyMs: 0 });
      await eventually(async () => ((await other!.admin.get<{ sync: { applied_generation: number } }>(path)).body.sync.applied_generation >= 1 ? true : undefined), 'the namespace applied');
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      await db.end();
      await cluster.faults.reset();
      await other?.close();
      await api.close();
    }
  });
});
