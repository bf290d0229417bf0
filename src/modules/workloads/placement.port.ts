import type { EnvironmentState } from './workloads.repository.js';

/** Chooses a cluster for an environment that has none (implemented by the clusters module). */
export abstract class PlacementPort {
  abstract choose(environment: EnvironmentState): Promise<string>;
}
