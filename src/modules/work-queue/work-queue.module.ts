import { Module } from '@nestjs/common';
import { WorkQueueRepository } from './work-queue.repository.js';
import { WorkQueueService } from './work-queue.service.js';

@Module({ providers: [WorkQueueRepository, WorkQueueService], exports: [WorkQueueService] })
export class WorkQueueModule {}
