import { Module } from '@nestjs/common';
import { AuditNotesModule } from '../../common/audit/audit-notes.module.js';
import { QuotasModule } from '../quotas/quotas.module.js';
import { TeamsModule } from '../teams/teams.module.js';
import { EnvironmentEventsModule } from '../workloads/environment-events.module.js';
import { AppsController } from './apps.controller.js';
import { AppsRepository } from './apps.repository.js';
import { AppsService } from './apps.service.js';

@Module({
  imports: [TeamsModule, QuotasModule, EnvironmentEventsModule, AuditNotesModule],
  controllers: [AppsController],
  providers: [AppsRepository, AppsService],
  exports: [AppsService, AppsRepository],
})
export class AppsModule {}
