import { Global, Module } from '@nestjs/common';
import { WorkQueueRepository } from './work-queue.repository.js';
import { WorkQueueService } from './work-queue.service.js';

@Global()
@Module({ providers: [WorkQueueRepository, WorkQueueService], exports: [WorkQueueService] })
export class WorkQueueModule {}
