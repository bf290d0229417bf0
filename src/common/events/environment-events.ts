// The port through which feature services say "this environment's desired state changed". The
// workloads module implements it (bump the generation, enqueue the reconcile, all in the caller's
// transaction); depending on this abstract class keeps feature modules free of Kubernetes.
export abstract class EnvironmentEvents {
  /** Call inside the transaction that made the change. */
  abstract changed(teamId: string, environmentId: string): Promise<void>;
}
