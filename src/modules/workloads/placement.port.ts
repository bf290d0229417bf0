import type { EnvironmentState } from './workloads.repository.js';

/** Chooses a cluster for an environment that has none (implemented by the clusters module). */
export abstract class PlacementPort {
  /** A cluster id, or null while no registered cluster can take the environment, with why not. */
  abstract choose(environment: EnvironmentState & { clusterSelector: unknown }): Promise<{ clusterId: string } | { clusterId: null; reason: string }>;
}
