// Replicas share the clusters: each cluster's watches and reconcile work belong to one replica at a
// time, the holder of its lease in PostgreSQL. Every heartbeat, each replica
//   1. records that it is alive and reads the live replicas and the registered clusters,
//   2. computes who should own each cluster (assignment.ts; every replica gets the same answer),
//   3. renews the leases it holds (a lease it failed to renew was taken: its work stops at once),
//   4. hands over what it should no longer own: new work stops first (its jobs go to the owner,
//      watches end), the lease is released only when the work already running has finished,
//   5. takes the leases it should own that are free or expired.
// A replica that dies stops renewing; its leases expire after the TTL and the survivors, which no
// longer count it as live, take them. Fencing (the epoch) is described in docs/architecture.md.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { BERTH_CONFIG, type BerthConfig } from '../../config/config.js';
import { ShutdownDrainers } from '../../lifecycle/drainers.js';
import { clusterFlag, JobRouting } from '../work-queue/job-routing.port.js';
import { ClusterFence, NotClusterOwner, type ClusterLease } from '../workloads/cluster-fence.port.js';
import { ClusterOwnership } from '../workloads/cluster-ownership.port.js';
import { assignClusters } from './assignment.js';
import { ClusterLeasesRepository } from './cluster-leases.repository.js';

/** How long (in lease TTLs) work on a cluster being handed over may take before it is cut off. */
const DRAIN_LIMIT_TTLS = 6;

interface Held {
  epoch: number;
  /** performance.now() before the statement that last extended the lease, plus the TTL. */
  deadline: number;
  /** Should go to another replica: no new work starts; released once `inFlight` is 0. */
  handingOver: boolean;
  handingOverSince: number;
  /** Given up without release (work did not stop in time): writes refused, left to expire. */
  revoked: boolean;
  inFlight: number;
}

@Injectable()
export class ClusterLeasesService extends ClusterOwnership implements ClusterFence, JobRouting, OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('ClusterLeases');
  readonly replica = randomBytes(6).toString('hex');
  private readonly held = new Map<string, Held>();
  private readonly listeners = new Set<(owned: ReadonlySet<string>) => void>();
  private ownedNow: ReadonlySet<string> = new Set();
  private forbidden: string[] = [];
  private known = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  /** Leaving: hand everything over, take nothing. */
  private stopping = false;
  private ticking: Promise<void> | undefined;
  private ticks = 0;
  /** The assignment, recomputed only when the live replicas or the clusters change. */
  private desired = { key: '', owners: new Map<string, string>() };

  constructor(
    private readonly repository: ClusterLeasesRepository,
    @Inject(BERTH_CONFIG) private readonly config: BerthConfig,
    private readonly drainers: ShutdownDrainers,
  ) {
    super();
  }

  /** Before the work queue starts (server.ts starts it after bootstrap): jobs are routed from the first fetch. */
  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.workersEnabled) return;
    this.repository.open((error) => this.logger.warn({ err: error }, 'the cluster lease connection failed; reconnecting'));
    this.running = true;
    // Registered after the work queue's drainer: running jobs finish before the leases go.
    this.drainers.register({ name: 'cluster-leases', drain: (signal) => this.stop(signal) });
    await this.refresh();
    this.timer = setInterval(() => void this.refresh(), this.config.replicaHeartbeatMs);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.stop();
  }

  owned(): ReadonlySet<string> {
    return this.ownedNow;
  }

  onChange(listener: (owned: ReadonlySet<string>) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  forbiddenFlags(): string[] {
    return this.forbidden;
  }

  /** Workers that cannot run jobs must not keep clusters whose jobs only they may take. */
  workersStopped(): void {
    if (!this.running || this.stopping) return;
    this.logger.error({ replica: this.replica }, 'the job workers stopped: handing every cluster to the other replicas');
    void this.stop();
  }

  async enter(clusterId: string): Promise<ClusterLease> {
    // A cluster registered since the last heartbeat: look now rather than bounce the job.
    if (!this.usable(clusterId) && !this.known.has(clusterId) && this.running) await this.refresh();
    const held = this.held.get(clusterId);
    if (!held || !this.usable(clusterId)) {
      // A known cluster this replica does not own is among its forbidden flags: the job goes straight
      // back to the queue, where only the owner's workers (once there is one) take it. An unknown
      // one (deleted meanwhile) is not: it waits a heartbeat rather than bouncing here.
      throw new NotClusterOwner(clusterId, held ? 'this replica is handing the cluster over' : 'this replica does not own the cluster', this.known.has(clusterId) ? 0 : this.config.replicaHeartbeatMs);
    }
    held.inFlight++;
    let open = true;
    const lease: ClusterLease = {
      clusterId,
      epoch: held.epoch,
      holder: this.replica,
      assertHeld: () => {
        if (!this.valid(clusterId, held)) throw new NotClusterOwner(clusterId, `lease epoch ${held.epoch} is no longer this replica's`, 0);
      },
      exit: () => {
        if (!open) return;
        open = false;
        held.inFlight--;
        // The last piece of work on a cluster being handed over: release it now, not at the next beat.
        if (held.inFlight === 0 && (held.handingOver || held.revoked)) void this.refresh();
      },
    };
    return lease;
  }

  /** Runs one heartbeat now (coalesced with one already running). */
  refresh(): Promise<void> {
    this.ticking ??= this.tick()
      .catch((err: unknown) => this.logger.warn({ err }, 'cluster lease heartbeat failed; leases not renewed run out'))
      .finally(() => {
        this.ticking = undefined;
      });
    return this.ticking;
  }

  private async tick(): Promise<void> {
    if (!this.running) return;
    const ttl = this.config.clusterLeaseTtlMs;
    const started = performance.now();
    const view = await this.repository.heartbeat(this.replica, `${hostname()}/${process.pid}`, ttl);
    if (!this.running) return;
    const desired = this.assignment(view.clusters, view.replicas);
    this.known = new Set(view.clusters);
    const renewable = [...this.held].filter(([, h]) => !h.revoked).map(([clusterId, h]) => ({ clusterId, epoch: h.epoch }));
    const renewed = await this.repository.renew(this.replica, renewable, ttl);
    for (const { clusterId } of renewable) {
      const held = this.held.get(clusterId)!;
      if (renewed.has(clusterId)) held.deadline = started + ttl;
      else {
        // Expired and taken by another replica (this one was paused or cut off): stop at once.
        this.logger.warn({ clusterId, epoch: held.epoch }, 'lost the lease of a cluster');
        this.held.delete(clusterId);
      }
    }
    const releasable: Array<{ clusterId: string; epoch: number }> = [];
    for (const [clusterId, held] of this.held) {
      const mine = !this.stopping && desired.get(clusterId) === this.replica;
      if (held.revoked) {
        if (held.inFlight === 0 || performance.now() > held.deadline) this.held.delete(clusterId);
        continue;
      }
      if (!mine && !held.handingOver) {
        held.handingOver = true;
        held.handingOverSince = started;
      } else if (mine && held.handingOver) held.handingOver = false; // membership changed back
      if (!held.handingOver) continue;
      if (held.inFlight === 0) releasable.push({ clusterId, epoch: held.epoch });
      else if (started - held.handingOverSince > DRAIN_LIMIT_TTLS * ttl) {
        // Renewing while work finishes is safe however long it takes, but work that does not
        // finish in six TTLs (stuck) keeps no lease hostage: its writes are refused
        // from now on, and the lease expires on its own, after any request already sent has landed.
        this.logger.warn({ clusterId, inFlight: held.inFlight }, 'work on a cluster being handed over did not finish in time; giving the lease up');
        held.revoked = true;
      }
    }
    this.publish(); // new work for what is being handed over stops before anything is released
    await this.repository.release(this.replica, releasable);
    for (const { clusterId } of releasable) this.held.delete(clusterId);
    const wanted = this.stopping ? [] : view.clusters.filter((id) => desired.get(id) === this.replica && !this.held.has(id));
    for (const lease of await this.repository.acquire(this.replica, wanted, ttl)) {
      this.held.set(lease.clusterId, { epoch: lease.epoch, deadline: started + ttl, handingOver: false, handingOverSince: 0, revoked: false, inFlight: 0 });
    }
    this.publish();
    if (++this.ticks % 60 === 0) await this.repository.sweep(100 * ttl);
  }

  private assignment(clusters: string[], replicas: string[]): Map<string, string> {
    const key = `${clusters.join(',')}|${[...replicas].sort().join(',')}`;
    if (key !== this.desired.key) this.desired = { key, owners: assignClusters(clusters, replicas) };
    return this.desired.owners;
  }

  /** Recomputes the owned set and the forbidden flags; tells the listeners when the set changed. */
  private publish(): void {
    const owned = new Set([...this.held].filter(([, h]) => !h.handingOver && !h.revoked).map(([id]) => id));
    this.forbidden = [...this.known].filter((id) => !owned.has(id)).map(clusterFlag);
    if (sameSet(owned, this.ownedNow)) return;
    const gained = [...owned].filter((id) => !this.ownedNow.has(id));
    const lost = [...this.ownedNow].filter((id) => !owned.has(id));
    this.ownedNow = owned;
    this.logger.log({ replica: this.replica, owned: owned.size, gained, lost }, 'the clusters this replica owns changed');
    for (const listener of this.listeners) {
      try {
        listener(owned);
      } catch (err) {
        this.logger.warn({ err }, 'a cluster ownership listener failed');
      }
    }
  }

  /** Whether new work may start on the cluster: held, not being handed over, with time to spare. */
  private usable(clusterId: string): boolean {
    const held = this.held.get(clusterId);
    return !!held && !held.handingOver && this.valid(clusterId, held);
  }

  /**
   * Whether work already running may still write: the same lease, not given up, and far enough
   * from its deadline that a request sent now lands before anyone else could take the lease.
   */
  private valid(clusterId: string, held: Held): boolean {
    return this.running && this.held.get(clusterId) === held && !held.revoked && performance.now() < held.deadline - this.safetyMarginMs();
  }

  private safetyMarginMs(): number {
    return Math.min(2000, this.config.clusterLeaseTtlMs / 5);
  }

  /**
   * Hands every cluster over and leaves: no new work, running work finishes (bounded by the TTL and
   * the shutdown deadline), then leases are released and the membership row goes, so survivors
   * take over at their next heartbeat rather than after the TTL.
   */
  async stop(signal?: AbortSignal): Promise<void> {
    if (!this.running || this.stopping) return;
    this.stopping = true;
    // The next beats mark everything handed over and release each lease once its work is done;
    // the timer keeps renewing the others meanwhile.
    await this.ticking;
    await this.refresh();
    const until = performance.now() + this.config.clusterLeaseTtlMs;
    while (this.held.size > 0 && performance.now() < until && !signal?.aborted) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    clearInterval(this.timer);
    await this.ticking;
    this.running = false;
    const idle = [...this.held].filter(([, h]) => h.inFlight === 0 && !h.revoked).map(([clusterId, h]) => ({ clusterId, epoch: h.epoch }));
    this.held.clear();
    this.publish();
    try {
      await this.repository.release(this.replica, idle);
      await this.repository.leave(this.replica);
    } catch (err) {
      this.logger.warn({ err }, 'could not release cluster leases; they expire on their own');
    } finally {
      await this.repository.close();
    }
  }
}

function sameSet(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  return a.size === b.size && [...a].every((x) => b.has(x));
}
