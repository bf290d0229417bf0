import { Module } from '@nestjs/common';
import { AuditNotesModule } from '../../common/audit/audit-notes.module.js';
import { AppsModule } from '../apps/apps.module.js';
import { ClustersModule } from '../clusters/clusters.module.js';
import { QuotasModule } from '../quotas/quotas.module.js';
import { EnvironmentEventsModule } from '../workloads/environment-events.module.js';
import { EnvironmentsController } from './environments.controller.js';
import { EnvironmentsRepository } from './environments.repository.js';
import { EnvironmentsService } from './environments.service.js';

@Module({
  imports: [AppsModule, QuotasModule, ClustersModule, EnvironmentEventsModule, AuditNotesModule],
  controllers: [EnvironmentsController],
  providers: [EnvironmentsRepository, EnvironmentsService],
  exports: [EnvironmentsRepository, EnvironmentsService],
})
export class EnvironmentsModule {}
