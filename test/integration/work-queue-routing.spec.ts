// Jobs added in one statement (a resync batch's reconciles and looks) are routed like jobs added one
// at a time: to the replica owning the environment's cluster (its flag), and status looks run after
// due reconciles (their priority).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { WorkQueueService } from '../../src/modules/work-queue/work-queue.service.js';
import { OBSERVE_TASK, RECONCILE_TASK } from '../../src/modules/workloads/tasks.js';
import { sql } from '../support/database.js';
import { newEnvironment } from '../support/factories.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

describe('job routing and priority', () => {
  let api: TestApp;
  let queue: WorkQueueService;

  beforeAll(async () => {
    api = await createTestApp({ env: { BERTH_WORKERS_ENABLED: 'false' } });
    await WorkQueueService.migrate(api.databaseUrl);
    queue = api.server.app.get(WorkQueueService);
  });

  afterAll(async () => {
    await api?.close();
  });

  async function job(key: string): Promise<{ flags: Record<string, true> | null; priority: number }> {
    const [row] = await sql<{ flags: Record<string, true> | null; priority: number }>(api.databaseUrl, 'SELECT flags, priority FROM graphile_worker._private_jobs WHERE key = $1', [key]);
    return row!;
  }

  it('gives jobs added together the flags and priority each would get alone', async () => {
    const placed = await newEnvironment(api, { name: 'placed' });
    const unplaced = await newEnvironment(api, { name: 'unplaced' });
    const clusterId = randomUUID();
    await sql(api.databaseUrl, "INSERT INTO clusters (id, name, api_url, credentials_ciphertext, updated_at) VALUES ($1::uuid, $2, 'https://k8s.example.com', 'x', now())", [clusterId, `routing-${clusterId.slice(0, 8)}`]);
    await sql(api.databaseUrl, 'UPDATE environments SET cluster_id = $1::uuid WHERE id = $2::uuid', [clusterId, placed.id]);
    const other = randomUUID();
    const key = (what: string) => `routing:${what}:${placed.id}`;
    await queue.enqueueMany([
      { task: RECONCILE_TASK, payload: { environmentId: placed.id }, options: { jobKey: key('reconcile') } },
      { task: OBSERVE_TASK, payload: { environmentId: placed.id }, options: { jobKey: key('observe') } },
      { task: RECONCILE_TASK, payload: { environmentId: unplaced.id }, options: { jobKey: key('unplaced') } },
      { task: 'resync_environments', payload: { clusterId: other }, options: { jobKey: key('cluster') } },
    ]);
    await queue.enqueue(OBSERVE_TASK, { environmentId: placed.id }, { jobKey: key('observe-alone') });
    expect(await job(key('reconcile'))).toEqual({ flags: { [`cluster:${clusterId}`]: true }, priority: 0 });
    expect(await job(key('observe'))).toEqual({ flags: { [`cluster:${clusterId}`]: true }, priority: 1 });
    expect(await job(key('observe-alone'))).toEqual({ flags: { [`cluster:${clusterId}`]: true }, priority: 1 });
    expect(await job(key('unplaced'))).toEqual({ flags: null, priority: 0 });
    expect(await job(key('cluster'))).toEqual({ flags: { [`cluster:${other}`]: true }, priority: 0 });
  });
});
