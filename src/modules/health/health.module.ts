import { Module } from '@nestjs/common';
import { WorkQueueModule } from '../work-queue/work-queue.module.js';
import { HealthController } from './health.controller.js';
import { HealthRepository } from './health.repository.js';
import { HealthService } from './health.service.js';

@Module({ imports: [WorkQueueModule], controllers: [HealthController], providers: [HealthRepository, HealthService], exports: [HealthService] })
export class HealthModule {}
