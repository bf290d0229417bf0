// Readiness covers the job workers: a replica whose workers died would accept deploys that nothing
// carries out, so /readyz must fail and say why.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { WorkQueueService } from '../../src/modules/work-queue/work-queue.service.js';
import { eventually } from '../support/sandbox.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

describe('readiness and the work queue', () => {
  let app: TestApp;
  let db: pg.Client;

  beforeAll(async () => {
    app = await createTestApp({ env: { BERTH_WORKER_CONCURRENCY: '1', BERTH_RESYNC_INTERVAL_MS: '3600000' } });
    db = new pg.Client({ connectionString: app.databaseUrl });
    await db.connect();
  });

  afterAll(async () => {
    await db.end();
    await app.close();
  });

  it('answers 503 naming the cause once a job worker has died', async () => {
    expect((await app.anonymous.get('/readyz')).status).toBe(200);
    const queue = app.server.app.get(WorkQueueService);
    await queue.stop();
    // A job whose completion the database refuses: the worker cannot release it and stops.
    queue.register('test_break_queue', async () => {
      await db.query('ALTER TABLE graphile_worker._private_jobs RENAME TO _private_jobs_gone');
    });
    await queue.start();
    await db.query("SELECT graphile_worker.add_job('test_break_queue', '{}'::json)");
    const answer = await eventually(async () => {
      const r = await app.anonymous.get<{ status: number; detail: string }>('/readyz');
      return r.status === 200 ? undefined : r;
    }, 'readiness to fail', 300, 50);
    expect(answer.status).toBe(503);
    expect(answer.body.detail).toMatch(/work queue stopped: a job worker stopped: .*_private_jobs/);
    await db.query('ALTER TABLE graphile_worker._private_jobs_gone RENAME TO _private_jobs');
  });
});
