// Who is alive among the processes that hold jobs. graphile-worker 0.16 leaves a job locked by a
// worker that died (SIGKILL, OOM, power loss) for four hours; Berth names its workers
// `berth-<replica>-<n>` and each replica holds a session advisory lock on its name for as long as
// it lives. PostgreSQL drops that lock the moment the process's connection goes, so a sweep that
// can take the lock knows the replica is dead and hands its jobs back (force_unlock_workers);
// a live replica's lock cannot be taken, so its jobs are never touched.
import pg from 'pg';

const WORKER_ID = /^berth-([0-9a-f]{12})-\d+$/;

export function workerIdFor(replica: string, index: number): string {
  return `berth-${replica}-${index}`;
}

function leaseKey(replica: string): string {
  return `berth-worker-lease:${replica}`;
}

export class WorkerLeases {
  private client: pg.Client | undefined;

  constructor(
    private readonly databaseUrl: string,
    readonly replica: string,
    private readonly onLost: (error: Error) => void,
  ) {}

  /** Takes this replica's lease on a connection of its own, held until release(). */
  async acquire(): Promise<void> {
    const client = new pg.Client({ connectionString: this.databaseUrl, application_name: `berth-lease-${this.replica}` });
    client.on('error', (error) => this.onLost(error));
    await client.connect();
    await client.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [leaseKey(this.replica)]);
    this.client = client;
  }

  async release(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  /** Unlocks the jobs of every Berth worker whose replica holds no lease; returns their worker ids. */
  async reclaim(pool: pg.Pool): Promise<string[]> {
    const { rows } = await pool.query<{ locked_by: string }>(
      `SELECT locked_by FROM graphile_worker._private_jobs WHERE locked_by LIKE 'berth-%'
       UNION SELECT locked_by FROM graphile_worker._private_job_queues WHERE locked_by LIKE 'berth-%'`,
    );
    const byReplica = new Map<string, string[]>();
    for (const { locked_by: workerId } of rows) {
      const replica = WORKER_ID.exec(workerId)?.[1];
      if (!replica || replica === this.replica) continue;
      byReplica.set(replica, [...(byReplica.get(replica) ?? []), workerId]);
    }
    const reclaimed: string[] = [];
    for (const [replica, workerIds] of byReplica) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        // Held until COMMIT: the replica cannot be coming back to life under us meanwhile.
        const { rows: lock } = await client.query<{ free: boolean }>('SELECT pg_try_advisory_xact_lock(hashtextextended($1, 0)) AS free', [leaseKey(replica)]);
        if (lock[0]?.free) {
          await client.query('SELECT graphile_worker.force_unlock_workers($1::text[])', [workerIds]);
          reclaimed.push(...workerIds);
        }
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    }
    return reclaimed;
  }
}
