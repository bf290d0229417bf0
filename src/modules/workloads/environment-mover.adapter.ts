// The clusters module's EnvironmentMover port, bound by the workloads module: the environment is applied on its new cluster and its
// namespace removed from the old one.
import { Injectable } from '@nestjs/common';
import { ClustersRepository } from '../clusters/clusters.repository.js';
import { EnvironmentMover } from '../clusters/environment-mover.port.js';
import { WorkloadsService } from './workloads.service.js';

@Injectable()
export class WorkloadsEnvironmentMover extends EnvironmentMover {
  constructor(
    private readonly workloads: WorkloadsService,
    private readonly clusters: ClustersRepository,
  ) {
    super();
  }

  async moved(environmentId: string, fromClusterId: string): Promise<void> {
    const env = await this.clusters.environmentForMove(environmentId);
    if (env) await this.workloads.moved(env.teamId, environmentId, fromClusterId, env.namespace);
  }
}
