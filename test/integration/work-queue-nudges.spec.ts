// A new job wakes one idle worker, not all of them. Berth once ran one graphile-worker runner per
// worker (each needed its own worker id), and each runner LISTENed for new jobs on a connection of
// its own: every job inserted woke every idle worker, and all but one of them asked the database for
// a job and found none (four empty fetches per job found in the fan-out bench, each a locking query
// on the jobs table). Now one pool runs every worker of a replica, and its one listener wakes as
// many idle workers as jobs were added.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { MetricsService } from '../../src/common/metrics/metrics.service.js';
import { WorkQueueService } from '../../src/modules/work-queue/work-queue.service.js';
import { TEAM_CHANGED_TASK } from '../../src/modules/workloads/tasks.js';
import { sql } from '../support/database.js';
import { eventually } from '../support/sandbox.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const WORKERS = 6;
const JOBS = 20;

describe('waking workers for new jobs', () => {
  let api: TestApp;
  let queue: WorkQueueService;
  let metrics: MetricsService;

  beforeAll(async () => {
    // The resyncs and probes would add jobs of their own while this counts.
    api = await createTestApp({ env: { BERTH_WORKER_CONCURRENCY: String(WORKERS), BERTH_RESYNC_INTERVAL_MS: '3600000', BERTH_CLUSTER_PROBE_INTERVAL_MS: '3600000' } });
    queue = api.server.app.get(WorkQueueService);
    metrics = api.server.app.get(MetricsService);
  });

  afterAll(async () => {
    await api?.close();
  });

  async function fetches(): Promise<{ job: number; empty: number }> {
    const values = (await metrics.queueFetches.get()).values;
    const of = (outcome: string) => values.find((v) => v.labels.outcome === outcome)?.value ?? 0;
    return { job: of('job'), empty: of('empty') };
  }

  it('wakes one idle worker per job added, so few fetches come back empty', async () => {
    // Jobs that find nothing to do: a team with no environments has nothing to bump.
    const before = await fetches();
    const started = Date.now();
    for (let i = 0; i < JOBS; i += 1) {
      const teamId = randomUUID();
      await queue.enqueue(TEAM_CHANGED_TASK, { teamId, jobKey: `team-changed:${teamId}` }, { jobKey: `team-changed:${teamId}` });
      // One at a time, each done before the next: every worker is idle when a job arrives.
      await eventually(async () => ((await sql(api.databaseUrl, 'SELECT 1 FROM graphile_worker._private_jobs')).length === 0 ? true : undefined), 'the job to be done', 200, 10);
    }
    const after = await fetches();
    expect(after.job - before.job).toBe(JOBS);
    // Per job: the nudged worker's fetch that finds it, and that worker's next fetch that finds
    // nothing; plus each idle worker's poll (once a second) while this runs. Waking every idle
    // worker made it (WORKERS − 1) more per job.
    const seconds = Math.ceil((Date.now() - started) / 1000) + 1;
    expect(after.empty - before.empty).toBeLessThanOrEqual(JOBS + WORKERS * seconds);
    expect(after.empty - before.empty).toBeLessThan(JOBS * (WORKERS - 1));
  });
});
