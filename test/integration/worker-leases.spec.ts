// The sweep for dead workers' jobs (src/modules/work-queue/worker-leases.ts), against PostgreSQL:
// a job whose worker's lock is free is handed back, one whose worker's lock is held is never
// touched, whichever replica sweeps. Jobs held under the previous scheme's names
// (`berth-<replica>-<n>`, one lock per replica) are judged by that replica's lock, so a replica of
// the previous version keeps its jobs during a rolling upgrade.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { WorkQueueService } from '../../src/modules/work-queue/work-queue.service.js';
import { lockKeyOf, WorkerLeases } from '../../src/modules/work-queue/worker-leases.js';
import { createTestDatabase, sql } from '../support/database.js';

const noLoss = (error: Error): void => {
  throw error;
};

describe('worker leases', () => {
  let db: { url: string; drop(): Promise<void> };
  let pool: pg.Pool;

  beforeAll(async () => {
    db = await createTestDatabase();
    await WorkQueueService.migrate(db.url);
    pool = new pg.Pool({ connectionString: db.url, max: 4 });
  });

  afterAll(async () => {
    await pool?.end();
    await db?.drop();
  });

  /** Adds a job and marks it claimed by `workerId`, as graphile-worker's get_job does. */
  async function claimedBy(workerId: string): Promise<string> {
    const [job] = await sql<{ id: string }>(db.url, "SELECT id::text FROM graphile_worker.add_job('lease_probe', '{}'::json)");
    await sql(db.url, 'UPDATE graphile_worker._private_jobs SET locked_by = $2, locked_at = now() WHERE id = $1', [job!.id, workerId]);
    return job!.id;
  }

  async function holder(id: string): Promise<string | null> {
    const [row] = await sql<{ locked_by: string | null }>(db.url, 'SELECT locked_by FROM graphile_worker._private_jobs WHERE id = $1', [id]);
    return row!.locked_by;
  }

  /** A process of the previous scheme: a session lock on its replica, as long as it lives. */
  async function oldReplica(replica: string): Promise<pg.Client> {
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    await client.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [lockKeyOf(`berth-${replica}-0`)]);
    return client;
  }

  it("hands back the jobs of workers whose lease is gone, never a live worker's", async () => {
    const live = new WorkerLeases(db.url, 'aaaaaaaaaaaa', noLoss);
    const dying = new WorkerLeases(db.url, 'bbbbbbbbbbbb', noLoss);
    const sweeper = new WorkerLeases(db.url, 'cccccccccccc', noLoss);
    await Promise.all([live.acquire(), dying.acquire(), sweeper.acquire()]);
    const oldLive = await oldReplica('0123456789ab');
    const oldDead = await oldReplica('ba9876543210');
    try {
      await live.hold('worker-live');
      await dying.hold('worker-dying');
      await sweeper.hold('worker-sweeper');
      const jobs = {
        live: await claimedBy('worker-live'),
        dying: await claimedBy('worker-dying'),
        own: await claimedBy('worker-sweeper'),
        neverHeld: await claimedBy('worker-never-held'),
        oldLive: await claimedBy('berth-0123456789ab-3'),
        oldDead: await claimedBy('berth-ba9876543210-1'),
      };
      await dying.release();
      await oldDead.end();
      const reclaimed = await sweeper.reclaim(pool);
      expect(reclaimed.sort()).toEqual(['berth-ba9876543210-1', 'worker-dying', 'worker-never-held']);
      expect(await holder(jobs.dying)).toBeNull();
      expect(await holder(jobs.neverHeld)).toBeNull();
      expect(await holder(jobs.oldDead)).toBeNull();
      // The live ones, including the sweeping replica's own worker and a replica of the old scheme.
      expect(await holder(jobs.live)).toBe('worker-live');
      expect(await holder(jobs.own)).toBe('worker-sweeper');
      expect(await holder(jobs.oldLive)).toBe('berth-0123456789ab-3');
      // Any replica may sweep: the live replica's own sweep takes nothing more.
      expect(await live.reclaim(pool)).toEqual([]);
    } finally {
      await Promise.all([live.release(), dying.release(), sweeper.release(), oldLive.end(), oldDead.end().catch(() => undefined)]);
    }
  });

  it("refuses a worker whose lock another process holds, and a closed lease", async () => {
    const first = new WorkerLeases(db.url, 'dddddddddddd', noLoss);
    const second = new WorkerLeases(db.url, 'eeeeeeeeeeee', noLoss);
    await Promise.all([first.acquire(), second.acquire()]);
    try {
      await first.hold('worker-twice');
      await expect(second.hold('worker-twice')).rejects.toThrow('held by another process');
      // A refusal does not stop the next hold on the same lease.
      await second.hold('worker-other');
      await second.release();
      await expect(second.hold('worker-after-release')).rejects.toThrow('closed');
    } finally {
      await Promise.all([first.release(), second.release()]);
    }
  });
});
