// The workloads module's ports: placement by the clusters module's PlacementService (label
// selector, reachable first, then least loaded); pull secrets from the team's registry credentials.
import { Injectable } from '@nestjs/common';
import { PlacementService } from '../clusters/placement.service.js';
import { parseImageReference } from '../../common/validation/image-reference.js';
import { RegistryCredentialsService } from '../registry-credentials/registry-credentials.service.js';
import { PlacementPort } from './placement.port.js';
import { PullSecretPort } from './pull-secret.port.js';
import type { EnvironmentState } from './workloads.repository.js';

@Injectable()
export class ClusterPlacementAdapter extends PlacementPort {
  constructor(private readonly placement: PlacementService) {
    super();
  }

  choose(environment: EnvironmentState): Promise<{ clusterId: string } | { clusterId: null; reason: string }> {
    return this.placement.bySelector(environment.clusterSelector);
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
