import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { ClustersModule } from '../clusters/clusters.module.js';
import { WorkQueueModule } from '../work-queue/work-queue.module.js';
import { KubeModule } from '../clusters/kube/kube.module.js';
import { RegistryCredentialsModule } from '../registry-credentials/registry-credentials.module.js';
import { EnvironmentsModule } from '../environments/environments.module.js';
import { ReleasesModule } from '../releases/releases.module.js';
import { ClusterLeasesModule } from '../cluster-leases/cluster-leases.module.js';
import { AutoRollbackOnFailure, AutoRollbackService } from './auto-rollback.service.js';
import { ClusterPlacementAdapter, RegistryPullSecretAdapter } from './adapters.js';
import { PlacementPort } from './placement.port.js';
import { PullSecretPort } from './pull-secret.port.js';
import { ReleaseFailureHandler } from './release-failure.port.js';
import { ReconcilerService } from './reconciler.service.js';
import { ReleaseStatusWriter } from './release-status-writer.js';
import { StatusObserverService } from './status-observer.service.js';
import { ClusterInformers } from './cluster-informers.service.js';
import { WorkloadsRepository } from './workloads.repository.js';
import { WorkloadsService } from './workloads.service.js';

@Module({
  imports: [KubeModule, ClustersModule, WorkQueueModule, AuditModule, ReleasesModule, EnvironmentsModule, RegistryCredentialsModule, ClusterLeasesModule],
  providers: [
    WorkloadsRepository,
    ReconcilerService,
    StatusObserverService,
    ClusterInformers,
    ReleaseStatusWriter,
    WorkloadsService,
    AutoRollbackService,
    { provide: PlacementPort, useClass: ClusterPlacementAdapter },
    { provide: PullSecretPort, useClass: RegistryPullSecretAdapter },
    { provide: ReleaseFailureHandler, useClass: AutoRollbackOnFailure },
  ],
  exports: [WorkloadsService, ReconcilerService, StatusObserverService],
})
export class WorkloadsModule {}
