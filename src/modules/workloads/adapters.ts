// The workloads module's ports. Placement ranks clusters itself from the registry (label selector,
// reachable first, then least loaded); pull secrets come from the team's registry credentials.
import { Injectable } from '@nestjs/common';
import { ClustersRepository, type ClusterRecord } from '../clusters/clusters.repository.js';
import { parseImageReference } from '../../common/validation/image-reference.js';
import { RegistryCredentialsService } from '../registry-credentials/registry-credentials.service.js';
import { PlacementPort } from './placement.port.js';
import { PullSecretPort } from './pull-secret.port.js';
import type { EnvironmentState } from './workloads.repository.js';

export function rankClusters(clusters: ClusterRecord[], load: ReadonlyMap<string, number>, selector: Record<string, string> | undefined): ClusterRecord[] {
  return clusters
    .filter((c) => !c.cordoned)
    .filter((c) => {
      const labels = (c.labels ?? {}) as Record<string, string>;
      return Object.entries(selector ?? {}).every(([k, v]) => labels[k] === v);
    })
    .sort((a, b) => Number(b.reachable) - Number(a.reachable) || (load.get(a.id) ?? 0) - (load.get(b.id) ?? 0) || a.name.localeCompare(b.name));
}

@Injectable()
export class ClusterPlacementAdapter extends PlacementPort {
  constructor(private readonly clusters: ClustersRepository) {
    super();
  }

  async choose(environment: EnvironmentState): Promise<string | null> {
    const selector = environment.clusterSelector && typeof environment.clusterSelector === 'object' ? (environment.clusterSelector as Record<string, string>) : undefined;
    const [all, load] = await Promise.all([this.clusters.all(), this.clusters.environmentCounts()]);
    return rankClusters(all, load, selector)[0]?.id ?? null;
  }
}

/** Images from a registry the team registered credentials for get an image pull Secret. */
@Injectable()
export class RegistryPullSecretAdapter extends PullSecretPort {
  constructor(private readonly credentials: RegistryCredentialsService) {
    super();
  }

  async pullSecretFor(teamId: string, image: string): Promise<{ registry: string; dockerConfigJson: string } | null> {
    const registry = parseImageReference(image)?.registry;
    return registry ? this.credentials.pullSecretFor(teamId, registry) : null;
  }
}
