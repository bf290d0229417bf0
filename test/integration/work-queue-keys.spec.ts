// A job key coalesces requests for the same work, and a request may never be lost to it (issue #15,
// item 5). graphile-worker's add_job (0.16) drops a keyed request without a word when a worker
// claims the existing job with that key at the same moment (graphile/worker#580): its
// `ON CONFLICT (key) DO UPDATE … WHERE locked_at IS NULL` then waits for the claim and matches
// nothing. The reconcile started by the claim may have read the database before the request's
// transaction committed, so the change would never be applied (a release left pending for ever,
// what cluster-sharing.spec.ts met twice). The worker's claim is made by hand here, held open in a
// transaction, so the race happens every time.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { WorkQueueRepository } from '../../src/modules/work-queue/work-queue.repository.js';
import { WorkQueueService } from '../../src/modules/work-queue/work-queue.service.js';
import { sql } from '../support/database.js';
import { eventually } from '../support/sandbox.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

describe('keyed jobs', () => {
  let api: TestApp;
  let jobs: WorkQueueRepository;

  beforeAll(async () => {
    api = await createTestApp({ env: { BERTH_WORKERS_ENABLED: 'false' } });
    // No workers here (the claim is made by hand), so the queue's schema is installed explicitly.
    await WorkQueueService.migrate(api.databaseUrl);
    jobs = api.server.app.get(WorkQueueRepository);
  });

  afterAll(async () => {
    await api?.close();
  });

  async function queued(key: string): Promise<Array<{ payload: { n: number }; locked: boolean }>> {
    return sql(api.databaseUrl, 'SELECT payload, locked_at IS NOT NULL AS locked FROM graphile_worker._private_jobs WHERE key = $1 ORDER BY id', [key]);
  }

  /**
   * Holds a claim of the job under `key` open (what graphile-worker's get_job does, left
   * uncommitted) while `add` runs, until `add`'s statement waits on the claimed row; then the claim
   * commits and `add` finishes.
   */
  async function whileClaimed(key: string, claimant: string, add: () => Promise<void>): Promise<void> {
    const worker = new pg.Client({ connectionString: api.databaseUrl, application_name: 'claiming-worker' });
    await worker.connect();
    try {
      await worker.query('BEGIN');
      const { rowCount } = await worker.query('UPDATE graphile_worker._private_jobs SET locked_at = now(), locked_by = $2, attempts = attempts + 1 WHERE key = $1', [key, claimant]);
      expect(rowCount).toBe(1);
      const adding = add();
      // The request reaches the claimed row and waits for the claim to end.
      await eventually(
        async () => ((await sql(api.databaseUrl, "SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%add_job%' AND application_name <> 'claiming-worker'")).length ? true : undefined),
        'the request to wait for the claim',
        200,
        25,
      );
      await worker.query('COMMIT');
      await adding;
    } finally {
      await worker.end();
    }
  }

  it('keeps a request made while a worker is claiming the job it would have replaced', async () => {
    const key = 'race:claimed-meanwhile';
    await jobs.enqueue('keyed-probe', { n: 1 }, { jobKey: key });
    await whileClaimed(key, 'worker-claiming', () => jobs.enqueue('keyed-probe', { n: 2 }, { jobKey: key }));
    // The claimed job runs with what it read; the request waits, unclaimed, under the key.
    expect(await queued(key)).toEqual([{ payload: { n: 2 }, locked: false }]);
    const running = await sql<{ n: number; key: string | null }>(api.databaseUrl, "SELECT (payload->>'n')::int AS n, key FROM graphile_worker._private_jobs WHERE locked_by = 'worker-claiming'");
    expect(running).toEqual([{ n: 1, key: null }]);
  }, 30_000);

  it('keeps a request added together with others (one statement) while a worker is claiming its job', async () => {
    const key = 'race:claimed-meanwhile-many';
    await jobs.enqueue('keyed-probe', { n: 1 }, { jobKey: key });
    await whileClaimed(key, 'worker-claiming-many', () =>
      jobs.enqueueMany([
        { task: 'keyed-probe', payload: { n: 2 }, options: { jobKey: key } },
        { task: 'keyed-probe', payload: { n: 3 }, options: { jobKey: `${key}:other` } },
      ]),
    );
    expect(await queued(key)).toEqual([{ payload: { n: 2 }, locked: false }]);
    expect(await queued(`${key}:other`)).toEqual([{ payload: { n: 3 }, locked: false }]);
  }, 30_000);

  it('replaces a job not yet claimed (one job per key)', async () => {
    const key = 'race:unclaimed';
    await jobs.enqueue('keyed-probe', { n: 1 }, { jobKey: key });
    await jobs.enqueue('keyed-probe', { n: 2 }, { jobKey: key });
    expect(await queued(key)).toEqual([{ payload: { n: 2 }, locked: false }]);
  });
});
