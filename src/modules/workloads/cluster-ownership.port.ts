// Which clusters this replica watches and resyncs. Bound by the cluster-leases module (leases in
// PostgreSQL shared by replicas); a single replica owns every cluster.
export abstract class ClusterOwnership {
  /** Ids of the clusters this replica owns right now. */
  abstract owned(): ReadonlySet<string>;
  /** Calls `listener` whenever the owned set changes; returns a function that unsubscribes. */
  abstract onChange(listener: (owned: ReadonlySet<string>) => void): () => void;
}
