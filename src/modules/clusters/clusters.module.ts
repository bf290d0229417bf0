import { Module } from '@nestjs/common';
import { AuditNotesModule } from '../../common/audit/audit-notes.module.js';
import { ClusterProbe } from './cluster-probe.js';
import { ClusterProberService } from './cluster-prober.service.js';
import { ClustersController } from './clusters.controller.js';
import { ClustersService } from './clusters.service.js';
import { EnvironmentEventsModule } from '../workloads/environment-events.module.js';
import { KubeModule } from './kube/kube.module.js';
import { PlacementService } from './placement.service.js';

@Module({
  imports: [KubeModule, EnvironmentEventsModule, AuditNotesModule],
  controllers: [ClustersController],
  providers: [
    ClustersService,
    ClusterProbe,
    ClusterProberService,
    PlacementService,
  ],
  exports: [ClustersService, PlacementService],
})
export class ClustersModule {}
