import { Module } from '@nestjs/common';
import { AppsModule } from '../apps/apps.module.js';
import { ClustersModule } from '../clusters/clusters.module.js';
import { QuotasModule } from '../quotas/quotas.module.js';
import { EnvironmentsController } from './environments.controller.js';
import { EnvironmentsRepository } from './environments.repository.js';
import { EnvironmentsService } from './environments.service.js';

@Module({
  imports: [AppsModule, QuotasModule, ClustersModule],
  controllers: [EnvironmentsController],
  providers: [EnvironmentsRepository, EnvironmentsService],
  exports: [EnvironmentsRepository, EnvironmentsService],
})
export class EnvironmentsModule {}
