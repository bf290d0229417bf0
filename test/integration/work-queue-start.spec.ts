// The workers start together and claim jobs at once. Started with graphile-worker's run(), Berth's
// workers (then one runner each) checked the queue's schema again (boot has done it) before they
// could claim a job, a connection apiece: 130–220 ms before the first claim with eight workers,
// which row 8 of the bench counts in its throughput.
//
// The test holds the schema's migrations table locked while the workers start: a worker that
// checked the schema would wait on that lock, so the test needs no timing.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import pg from 'pg';
import { TransactionHost } from '../../src/database/prisma.service.js';
import { WorkQueueService } from '../../src/modules/work-queue/work-queue.service.js';
import { TEAM_CHANGED_TASK } from '../../src/modules/workloads/tasks.js';
import { sql } from '../support/database.js';
import { eventually } from '../support/sandbox.js';
import { createTestApp, TEST_ENCRYPTION_KEY, type TestApp } from '../support/test-app.js';
import { freePort } from '../support/postgres-server.mjs';

const WORKERS = 8;
const HOLD_TASK = 'test_hold_worker';
/** Enough workers for their listeners to pass Node's default limit of 10 (the bench's row 7 runs 16). */
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

  it('starts every worker at once, without checking the schema again, and each takes a job', async () => {
    await queue.stop();
    // Jobs that hold their worker until released: eight running at once means eight workers.
    let running = 0;
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    queue.register(HOLD_TASK, async () => {
      running += 1;
      await released;
    });
    const blocker = new pg.Client({ connectionString: api.databaseUrl });
    await blocker.connect();
    try {
      // A worker that checked the schema as it started (graphile-worker's run()) would wait here.
      await blocker.query('BEGIN');
      await blocker.query('LOCK TABLE graphile_worker.migrations IN ACCESS EXCLUSIVE MODE');
      await api.server.app.get(TransactionHost).run(async () => {
        for (let i = 0; i < WORKERS; i += 1) await queue.enqueue(HOLD_TASK, { n: i });
      });
      await queue.start();
      await eventually(async () => (running === WORKERS ? true : undefined), `all ${WORKERS} workers to be running a job`);
    } finally {
      release();
      await blocker.query('ROLLBACK').catch(() => undefined);
      await blocker.end();
    }
    expect(queue.health()).toBeUndefined();
    await eventually(async () => ((await sql(api.databaseUrl, 'SELECT 1 FROM graphile_worker._private_jobs')).length === 0 ? true : undefined), 'the jobs to be done');
    expect(running).toBe(WORKERS);
  });

  it('starts 16 workers without Node warning of a listener leak', async () => {
    // When each worker had a graphile-worker runner of its own, each added listeners to the shared
    // pool and to each of its connections; past Node's default limit of 10, i.e. from 10 workers
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
    // pg deprecates a query sent on a client while another runs on it (the lease takes one lock per
    // worker, one after another; a listener once had an UNLISTEN queued behind its LISTEN).
    expect(stderr).not.toContain('already executing a query');
  });
});
