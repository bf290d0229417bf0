// Called once per environment a drain moved, inside the drain's transaction (so a failure rolls the
// move back). The clusters module declares the port; the workloads side binds it to apply on the
// new cluster and clean the old (workloads/environment-mover.adapter.ts, EnvironmentEventsModule).

/** The environment that moved, as the drain read it. */
export interface MovedEnvironment {
  id: string;
  teamId: string;
  /** Its namespace, to remove from the cluster it left. */
  namespace: string;
}

export abstract class EnvironmentMover {
  abstract moved(environment: MovedEnvironment, fromClusterId: string): Promise<void>;
}
