// The port through which feature services say "this environment's desired state changed". The
// workloads module implements it (bump the generation, enqueue the reconcile, all in the caller's
// transaction); depending on this abstract class keeps feature modules free of Kubernetes.
export abstract class EnvironmentEvents {
  /** Call inside the transaction that made the change. */
  abstract changed(teamId: string, environmentId: string): Promise<void>;
  /**
   * Something every environment of the team renders from changed (its quota limits or usage, its
   * registry logins). Call inside the transaction that made the change.
   */
  abstract teamChanged(teamId: string): Promise<void>;
  /** Something every environment on the cluster renders from changed (its ingress class). */
  abstract clusterChanged(clusterId: string): Promise<void>;
}
