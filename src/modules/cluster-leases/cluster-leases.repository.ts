// Membership and cluster leases in PostgreSQL. Every comparison of time uses the database's clock
// (now()), so replicas need no synchronised clocks. The lease loop runs on a connection of its own:
// renewals must not queue behind requests and jobs for the application's pool.
import { Inject, Injectable } from '@nestjs/common';
import pg from 'pg';
import { DATABASE_URL } from '../../database/database.module.js';
import { TransactionHost } from '../../database/prisma.service.js';

export interface MembershipView {
  /** Replicas whose heartbeat is fresher than the lease TTL, this one included. */
  replicas: string[];
  /** Every registered cluster. */
  clusters: string[];
}

export interface HeldLease {
  clusterId: string;
  epoch: number;
}

@Injectable()
export class ClusterLeasesRepository {
  private pool: pg.Pool | undefined;

  constructor(
    @Inject(DATABASE_URL) private readonly databaseUrl: string,
    private readonly tx: TransactionHost,
  ) {}

  open(onError: (error: Error) => void): void {
    // One connection: the loop's statements are few and sequential. pg.Pool reconnects by itself
    // after the server drops the connection (restart, failover).
    this.pool ??= new pg.Pool({ connectionString: this.databaseUrl, max: 1, application_name: 'berth-cluster-leases' });
    this.pool.on('error', onError);
  }

  async close(): Promise<void> {
    const pool = this.pool;
    this.pool = undefined;
    if (pool && !pool.ending && !pool.ended) await pool.end();
  }

  /** Says this replica is alive and reads who else is, and which clusters there are (one round trip). */
  async heartbeat(replica: string, host: string, ttlMs: number): Promise<MembershipView> {
    const { rows } = await this.db().query<{ replicas: string[] | null; clusters: string[] | null }>(
      `WITH beat AS (
         INSERT INTO berth_replicas (id, host, heartbeat_at) VALUES ($1, $3, now())
         ON CONFLICT (id) DO UPDATE SET heartbeat_at = now())
       SELECT (SELECT array_agg(id ORDER BY id) FROM berth_replicas WHERE heartbeat_at > now() - make_interval(secs => $2 / 1000.0)) AS replicas,
              (SELECT array_agg(id::text ORDER BY id) FROM clusters) AS clusters`,
      [replica, ttlMs, host],
    );
    const replicas = rows[0]?.replicas ?? [];
    // The insert is not visible to the statement's own snapshot on a first beat.
    if (!replicas.includes(replica)) replicas.push(replica);
    return { replicas, clusters: rows[0]?.clusters ?? [] };
  }

  /** Extends the leases still held at their epoch; returns the ids of those extended. */
  async renew(replica: string, leases: readonly HeldLease[], ttlMs: number): Promise<Set<string>> {
    if (!leases.length) return new Set();
    const { rows } = await this.db().query<{ cluster_id: string }>(
      `UPDATE cluster_leases AS l SET expires_at = now() + make_interval(secs => $4 / 1000.0)
       FROM unnest($2::uuid[], $3::int8[]) AS h(cluster_id, epoch)
       WHERE l.cluster_id = h.cluster_id AND l.holder = $1 AND l.epoch = h.epoch
       RETURNING l.cluster_id::text`,
      [replica, leases.map((l) => l.clusterId), leases.map((l) => l.epoch), ttlMs],
    );
    return new Set(rows.map((r) => r.cluster_id));
  }

  /**
   * Takes the leases of these clusters that are free or expired, each with the next epoch; returns
   * those taken. Racing replicas serialise on the row: only one of them sees it free.
   */
  async acquire(replica: string, clusterIds: readonly string[], ttlMs: number): Promise<HeldLease[]> {
    if (!clusterIds.length) return [];
    const { rows } = await this.db().query<{ cluster_id: string; epoch: string }>(
      `INSERT INTO cluster_leases AS l (cluster_id, holder, epoch, expires_at, acquired_at)
       SELECT c.id, $1, 1, now() + make_interval(secs => $3 / 1000.0), now() FROM clusters c WHERE c.id = ANY($2::uuid[])
       ON CONFLICT (cluster_id) DO UPDATE
         SET holder = $1, epoch = l.epoch + 1, expires_at = excluded.expires_at, acquired_at = now()
         WHERE l.holder IS NULL OR l.expires_at <= now()
       RETURNING l.cluster_id::text, l.epoch::text`,
      [replica, clusterIds, ttlMs],
    );
    return rows.map((r) => ({ clusterId: r.cluster_id, epoch: Number(r.epoch) }));
  }

  /** Gives leases back at once (after their work stopped), so their next owner need not wait for expiry. */
  async release(replica: string, leases: readonly HeldLease[]): Promise<void> {
    if (!leases.length) return;
    await this.db().query(
      `UPDATE cluster_leases AS l SET holder = NULL, expires_at = now()
       FROM unnest($2::uuid[], $3::int8[]) AS h(cluster_id, epoch)
       WHERE l.cluster_id = h.cluster_id AND l.holder = $1 AND l.epoch = h.epoch`,
      [replica, leases.map((l) => l.clusterId), leases.map((l) => l.epoch)],
    );
  }

  /** Leaves the membership at once (a clean stop), so the others rebalance without waiting. */
  async leave(replica: string): Promise<void> {
    await this.db().query('DELETE FROM berth_replicas WHERE id = $1', [replica]);
  }

  /** Forgets replicas silent for much longer than any lease (crashed ones never say goodbye). */
  async sweep(olderThanMs: number): Promise<void> {
    await this.db().query('DELETE FROM berth_replicas WHERE heartbeat_at < now() - make_interval(secs => $1 / 1000.0)', [olderThanMs]);
  }

  private db(): pg.Pool {
    if (!this.pool) throw new Error('the cluster lease connection is not open');
    return this.pool;
  }
}
