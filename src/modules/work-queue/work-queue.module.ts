import { Module } from '@nestjs/common';
import { LifecycleModule } from '../../lifecycle/drainers.js';
import { ClusterLeasesModule } from '../cluster-leases/cluster-leases.module.js';
import { WorkQueueRepository } from './work-queue.repository.js';
import { WorkQueueService } from './work-queue.service.js';

@Module({ imports: [LifecycleModule, ClusterLeasesModule], providers: [WorkQueueRepository, WorkQueueService], exports: [WorkQueueService] })
export class WorkQueueModule {}
