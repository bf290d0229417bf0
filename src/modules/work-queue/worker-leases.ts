// Who is alive among the processes that hold jobs. graphile-worker 0.16 leaves a job locked by a
// worker that died (SIGKILL, OOM, power loss) for four hours. Each Berth replica keeps a connection
// of its own (the lease) and, on it, a session advisory lock per worker of its own, taken before
// that worker claims its first job (graphile-worker's `startWorker` hook, work-queue.service.ts).
// PostgreSQL drops those locks the moment the connection goes, so a sweep that can take a worker's
// lock knows the worker's process is dead and hands its jobs back (force_unlock_workers); a live
// worker's lock cannot be taken, so its jobs are never touched.
//
// Before, Berth ran one single-worker graphile-worker pool per worker so that it could name each
// worker `berth-<replica>-<n>` and lock the replica instead. Jobs held under such a name are still
// judged by that replica's lock, so replicas of both versions sweep safely during a rolling upgrade.
import pg from 'pg';

/** A worker of a replica of the previous scheme (one lock per replica). */
const REPLICA_WORKER_ID = /^berth-([0-9a-f]{12})-\d+$/;

function workerKey(workerId: string): string {
  return `berth-worker:${workerId}`;
}

function replicaKey(replica: string): string {
  return `berth-worker-lease:${replica}`;
}

/** The advisory lock that says the process of `workerId` is alive. */
export function lockKeyOf(workerId: string): string {
  const replica = REPLICA_WORKER_ID.exec(workerId)?.[1];
  return replica ? replicaKey(replica) : workerKey(workerId);
}

export class WorkerLeases {
  private client: pg.Client | undefined;
  /** hold() calls one after another: pg deprecates a query sent while another runs on the client. */
  private holding: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly databaseUrl: string,
    /** Names the lease connection in pg_stat_activity. */
    readonly replica: string,
    private readonly onLost: (error: Error) => void,
  ) {}

  /** Opens this replica's lease connection, kept until release(). */
  async acquire(): Promise<void> {
    const client = new pg.Client({ connectionString: this.databaseUrl, application_name: `berth-lease-${this.replica}` });
    client.on('error', (error) => this.onLost(error));
    await client.connect();
    this.client = client;
  }

  /**
   * Marks `workerId` alive for as long as the lease connection lives. Throws when it cannot: the
   * worker must then claim nothing (a sweep would take its jobs).
   */
  hold(workerId: string): Promise<void> {
    const held = this.holding.then(async () => {
      const client = this.client;
      if (!client) throw new Error('the worker lease connection is closed');
      // Worker ids are random (graphile-worker's own): no live process holds this one.
      const { rows } = await client.query<{ held: boolean }>('SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS held', [workerKey(workerId)]);
      if (!rows[0]?.held) throw new Error(`the lock of worker ${workerId} is held by another process`);
    });
    this.holding = held.catch(() => undefined);
    return held;
  }

  async release(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  /** Unlocks the jobs of every worker whose process holds no lease any more; returns their ids. */
  async reclaim(pool: pg.Pool): Promise<string[]> {
    const { rows } = await pool.query<{ locked_by: string }>(
      `SELECT locked_by FROM graphile_worker._private_jobs WHERE locked_by IS NOT NULL
       UNION SELECT locked_by FROM graphile_worker._private_job_queues WHERE locked_by IS NOT NULL`,
    );
    if (!rows.length) return [];
    const workerIds = rows.map((r) => r.locked_by);
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      // A lock this transaction can take belongs to no live process, and is held until COMMIT: the
      // worker cannot be coming back to life under us meanwhile. This replica's own workers are
      // locked by its lease connection, another session, so they are never taken either.
      const { rows: dead } = await client.query<{ worker_id: string }>(
        `SELECT w.worker_id FROM unnest($1::text[], $2::text[]) AS w(worker_id, lock_key)
          WHERE pg_try_advisory_xact_lock(hashtextextended(w.lock_key, 0))`,
        [workerIds, workerIds.map(lockKeyOf)],
      );
      const reclaimed = dead.map((r) => r.worker_id);
      if (reclaimed.length) await client.query('SELECT graphile_worker.force_unlock_workers($1::text[])', [reclaimed]);
      await client.query('COMMIT');
      return reclaimed;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }
}
