// Called once per environment a drain moved, inside the drain's transaction (so a failure rolls the
// move back). The clusters module declares the port; the workloads module binds it to apply on
// the new cluster and clean the old (workloads/environment-mover.adapter.ts).
export abstract class EnvironmentMover {
  abstract moved(environmentId: string, fromClusterId: string): Promise<void>;
}
