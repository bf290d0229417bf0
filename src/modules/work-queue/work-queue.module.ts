import { Module } from '@nestjs/common';
import { LifecycleModule } from '../../lifecycle/drainers.js';
import { WorkQueueRepository } from './work-queue.repository.js';
import { WorkQueueService } from './work-queue.service.js';

@Module({ imports: [LifecycleModule], providers: [WorkQueueRepository, WorkQueueService], exports: [WorkQueueService] })
export class WorkQueueModule {}
