import { Module } from '@nestjs/common';
import { LifecycleModule } from '../../lifecycle/drainers.js';
import { JobRouting } from '../work-queue/job-routing.port.js';
import { ClusterFence } from '../workloads/cluster-fence.port.js';
import { ClusterOwnership } from '../workloads/cluster-ownership.port.js';
import { ClusterLeasesRepository } from './cluster-leases.repository.js';
import { ClusterLeasesService } from './cluster-leases.service.js';

/** Which replica owns which cluster (leases in PostgreSQL); see cluster-leases.service.ts. */
@Module({
  imports: [LifecycleModule],
  providers: [
    ClusterLeasesRepository,
    ClusterLeasesService,
    { provide: ClusterOwnership, useExisting: ClusterLeasesService },
    { provide: ClusterFence, useExisting: ClusterLeasesService },
    { provide: JobRouting, useExisting: ClusterLeasesService },
  ],
  exports: [ClusterOwnership, ClusterFence, JobRouting],
})
export class ClusterLeasesModule {}
