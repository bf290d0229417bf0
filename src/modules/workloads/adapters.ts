// The workloads module's ports: placement by the clusters module's ranking (label selector,
// reachable first, then least loaded); pull secrets from the team's registry credentials.
import { Injectable } from '@nestjs/common';
import { ClustersRepository } from '../clusters/clusters.repository.js';
import { labelsOf, placementRefusal, rankClusters, toCandidate } from '../clusters/placement.service.js';
import { parseImageReference } from '../../common/validation/image-reference.js';
import { RegistryCredentialsService } from '../registry-credentials/registry-credentials.service.js';
import { PlacementPort } from './placement.port.js';
import { PullSecretPort } from './pull-secret.port.js';
import type { EnvironmentState } from './workloads.repository.js';

@Injectable()
export class ClusterPlacementAdapter extends PlacementPort {
  constructor(private readonly clusters: ClustersRepository) {
    super();
  }

  async choose(environment: EnvironmentState): Promise<{ clusterId: string } | { clusterId: null; reason: string }> {
    const [all, load] = await Promise.all([this.clusters.all(), this.clusters.environmentCounts()]);
    const candidates = all.map((c) => toCandidate(c, load));
    const selector = labelsOf(environment.clusterSelector);
    const best = rankClusters(candidates, selector)[0];
    return best ? { clusterId: best.id } : { clusterId: null, reason: placementRefusal(candidates, selector) };
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
