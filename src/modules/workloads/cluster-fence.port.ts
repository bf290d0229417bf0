// Fencing for work on a cluster: the reconciler writes to a cluster only while this replica holds
// the cluster's lease, and records what it applied only if the lease is still its own at the same
// epoch. Bound by the cluster-leases module; docs/architecture.md states the guarantee.
import { RetryLater } from '../work-queue/work-queue.service.js';

export abstract class ClusterFence {
  /**
   * Starts a piece of work on a cluster. Throws NotClusterOwner unless this replica holds the
   * cluster's lease; a replica handing the cluster over lets no new work start.
   */
  abstract enter(clusterId: string): Promise<ClusterLease>;
}

export interface ClusterLease {
  readonly clusterId: string;
  /** The lease's fencing token: it goes up with every new holder. */
  readonly epoch: number;
  /**
   * Who holds it (this replica's id). The statement that records the work checks the lease itself
   * (WorkloadsRepository.recordApplied): the cluster_leases row of clusterId, held by `holder` at
   * `epoch` and unexpired, share-locked until that statement commits, so the lease cannot change
   * hands between the check and the record. Nothing is recorded when it does not hold.
   */
  readonly holder: string;
  /** Before every write to the cluster: throws NotClusterOwner once the lease is lost or about to run out. */
  assertHeld(): void;
  /** The work is over (done or failed): the lease may be handed over. Idempotent. */
  exit(): void;
}

/** Not this replica's cluster (any more): the job goes back to the queue, for the owner. */
export class NotClusterOwner extends RetryLater {
  constructor(clusterId: string, reason: string, afterMs: number) {
    super(`cluster ${clusterId}: ${reason}`, afterMs, true);
    this.name = 'NotClusterOwner';
  }
}
