// Which replica runs a job. Jobs about a cluster carry the flag `cluster:<id>`; each replica's
// workers skip the flags this port names (graphile-worker's forbiddenFlags, asked before every
// fetch), so a cluster's jobs run on the one replica that owns the cluster. Bound by the
// cluster-leases module.
export abstract class JobRouting {
  /** Flags of the jobs this replica must not take right now. */
  abstract forbiddenFlags(): string[];
  /** This replica's workers stopped for good (readiness fails): its clusters should go to replicas that can work. */
  abstract workersStopped(): void;
}

export const CLUSTER_FLAG_PREFIX = 'cluster:';

export function clusterFlag(clusterId: string): string {
  return `${CLUSTER_FLAG_PREFIX}${clusterId}`;
}
