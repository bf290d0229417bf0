import { Module } from '@nestjs/common';
import { AuditNotesModule } from '../../common/audit/audit-notes.module.js';
import { TeamsModule } from '../teams/teams.module.js';
import { EnvironmentEventsModule } from '../workloads/environment-events.module.js';
import { QuotasController } from './quotas.controller.js';
import { QuotasRepository } from './quotas.repository.js';
import { QuotasService } from './quotas.service.js';

@Module({
  imports: [TeamsModule, AuditNotesModule, EnvironmentEventsModule],
  controllers: [QuotasController],
  providers: [QuotasRepository, QuotasService],
  exports: [QuotasService],
})
export class QuotasModule {}
