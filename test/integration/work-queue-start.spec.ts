// The workers start together. Berth runs one graphile-worker runner per worker (each needs its own
// worker id, see worker-leases.ts), and each runner checks the queue's schema and opens its
// listener as it starts: one after another, their starts added up before the last worker could
// claim a job (row 8 of the bench counts that time in its throughput).
//
// The check is made visible by holding the schema's migrations table locked: every runner that
// is starting waits on that lock, so the test counts how many start at once, with no timing.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import pg from 'pg';
import { WorkQueueService } from '../../src/modules/work-queue/work-queue.service.js';
import { TEAM_CHANGED_TASK } from '../../src/modules/workloads/tasks.js';
import { sql } from '../support/database.js';
import { eventually } from '../support/sandbox.js';
import { createTestApp, TEST_ENCRYPTION_KEY, type TestApp } from '../support/test-app.js';
import { freePort } from '../support/postgres-server.mjs';

const WORKERS = 8;
/** Enough runners for their listeners to pass Node's default limit of 10 (the bench's row 7 runs 16). */
const MANY_WORKERS = 16;

describe('starting the job workers', () => {
  let api: TestApp;
  let queue: WorkQueueService;

  beforeAll(async () => {
    api = await createTestApp({ env: { BERTH_WORKER_CONCURRENCY: String(WORKERS), BERTH_RESYNC_INTERVAL_MS: '3600000', BERTH_CLUSTER_PROBE_INTERVAL_MS: '3600000' } });
    queue = api.server.app.get(WorkQueueService);
  });

  afterAll(async () => {
    await api?.close();
  });

  const waitingOnMigrations = async (): Promise<number> => {
    const rows = await sql<{ n: number }>(
      api.databaseUrl,
      `SELECT count(*)::int AS n FROM pg_stat_activity
        WHERE datname = current_database() AND wait_event_type = 'Lock' AND query ILIKE '%.migrations %'`,
    );
    return rows[0]!.n;
  };

  it('starts every worker at once, and each then takes jobs', async () => {
    await queue.stop();
    const blocker = new pg.Client({ connectionString: api.databaseUrl });
    await blocker.connect();
    let starting: Promise<void> | undefined;
    try {
      await blocker.query('BEGIN');
      await blocker.query('LOCK TABLE graphile_worker.migrations IN ACCESS EXCLUSIVE MODE');
      starting = queue.start();
      // One after another, a single runner would wait here and the next would not have begun.
      await eventually(async () => ((await waitingOnMigrations()) === WORKERS ? true : undefined), `all ${WORKERS} runners to be starting together`);
      await blocker.query('COMMIT');
      await starting;
    } finally {
      await blocker.query('ROLLBACK').catch(() => undefined);
      await blocker.end();
      await starting?.catch(() => undefined);
    }
    expect(queue.health()).toBeUndefined();
    // The workers work: a job is taken and done (a team with no environments has nothing to bump).
    const teamId = '00000000-0000-4000-8000-000000000001';
    await queue.enqueue(TEAM_CHANGED_TASK, { teamId, jobKey: `team-changed:${teamId}` }, { jobKey: `team-changed:${teamId}` });
    await eventually(async () => ((await sql(api.databaseUrl, 'SELECT 1 FROM graphile_worker._private_jobs')).length === 0 ? true : undefined), 'the job to be done');
  });

  it('starts 16 workers without Node warning of a listener leak', async () => {
    // Each runner adds listeners to the shared pool and to each of its connections (bounded by the
    // worker count, removed when it stops); past Node's default limit of 10, i.e. from 10 workers
    // on, every start printed "MaxListenersExceededWarning: Possible EventEmitter memory leak
    // detected". Node prints its warnings to stderr, which a Berth process of its own shows (Jest's
    // sandbox hides them).
    const port = await freePort();
    const child = spawn(process.execPath, ['dist/src/main.js'], {
      env: { ...process.env, DATABASE_URL: api.databaseUrl, PORT: String(port), HOST: '127.0.0.1', BERTH_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY, BERTH_BOOTSTRAP_TOKEN: api.adminToken, BERTH_SANDBOX_WHEN_EMPTY: 'false', LOG_LEVEL: 'silent', BERTH_WORKER_CONCURRENCY: String(MANY_WORKERS) },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => void (stderr += chunk.toString()));
    try {
      await eventually(async () => {
        if (child.exitCode !== null) throw new Error(`Berth exited with ${child.exitCode}: ${stderr}`);
        return (await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => undefined))?.ok ? true : undefined;
      }, 'Berth to be ready', 600, 100);
      // The workers' connections open as they fetch: let a job take some.
      const teamId = '00000000-0000-4000-8000-000000000002';
      await queue.enqueue(TEAM_CHANGED_TASK, { teamId, jobKey: `team-changed:${teamId}` }, { jobKey: `team-changed:${teamId}` });
      await eventually(async () => ((await sql(api.databaseUrl, 'SELECT 1 FROM graphile_worker._private_jobs')).length === 0 ? true : undefined), 'the job to be done');
    } finally {
      child.kill('SIGTERM');
      await new Promise((resolve) => (child.exitCode !== null ? resolve(undefined) : child.once('exit', resolve)));
    }
    expect(stderr).not.toContain('MaxListenersExceededWarning');
  });
});
