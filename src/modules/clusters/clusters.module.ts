import { Module } from '@nestjs/common';
import { ClusterProbe } from './cluster-probe.js';
import { ClusterProberService } from './cluster-prober.service.js';
import { ClustersController } from './clusters.controller.js';
import { ClustersService } from './clusters.service.js';
import { KubeModule } from './kube/kube.module.js';

@Module({
  imports: [KubeModule],
  controllers: [ClustersController],
  providers: [ClustersService, ClusterProbe, ClusterProberService],
  exports: [ClustersService],
})
export class ClustersModule {}
