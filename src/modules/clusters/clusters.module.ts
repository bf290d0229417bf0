import { Module } from '@nestjs/common';
import { WorkloadsService } from '../workloads/workloads.service.js';
import { ClusterProbe } from './cluster-probe.js';
import { ClusterProberService } from './cluster-prober.service.js';
import { ClustersController } from './clusters.controller.js';
import { ClustersRepository } from './clusters.repository.js';
import { ClustersService, ENVIRONMENT_MOVED, type EnvironmentMovedHook } from './clusters.service.js';
import { KubeModule } from './kube/kube.module.js';
import { PlacementService } from './placement.service.js';

@Module({
  imports: [KubeModule],
  controllers: [ClustersController],
  providers: [
    ClustersService,
    ClusterProbe,
    ClusterProberService,
    PlacementService,
    // The drain hook, bound here to the (global) workloads module: apply on the new cluster, remove
    // the namespace from the old. ClustersService itself knows only the token; if WorkloadsModule
    // provides and exports ENVIRONMENT_MOVED itself, this binding can go.
    {
      provide: ENVIRONMENT_MOVED,
      inject: [WorkloadsService, ClustersRepository],
      useFactory: (workloads: WorkloadsService, clusters: ClustersRepository): EnvironmentMovedHook => async (environmentId, fromClusterId) => {
        const env = await clusters.environmentForMove(environmentId);
        if (env) await workloads.moved(env.teamId, environmentId, fromClusterId, env.namespace);
      },
    },
  ],
  exports: [ClustersService, PlacementService],
})
export class ClustersModule {}
