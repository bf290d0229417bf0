// The workloads module's ports, implemented with the clusters and registry-credentials modules.
import { Injectable } from '@nestjs/common';
import { DomainError } from '../../common/errors/domain-error.js';
import { parseImageReference } from '../../common/validation/image-reference.js';
import { PlacementService } from '../clusters/placement.service.js';
import { RegistryCredentialsService } from '../registry-credentials/registry-credentials.service.js';
import { PlacementPort } from './placement.port.js';
import { PullSecretPort } from './pull-secret.port.js';
import type { EnvironmentState } from './workloads.repository.js';

@Injectable()
export class ClusterPlacementAdapter extends PlacementPort {
  constructor(private readonly placement: PlacementService) {
    super();
  }

  async choose(environment: EnvironmentState): Promise<string | null> {
    const selector = environment.clusterSelector && typeof environment.clusterSelector === 'object' ? (environment.clusterSelector as Record<string, string>) : undefined;
    try {
      return await this.placement.choose({ selector });
    } catch (error) {
      if (error instanceof DomainError) return null;
      throw error;
    }
  }
}

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
