import { Module } from '@nestjs/common';
import { AuditNotesModule } from '../../common/audit/audit-notes.module.js';
import { EnvironmentsModule } from '../environments/environments.module.js';
import { EnvironmentEventsModule } from '../workloads/environment-events.module.js';
import { QuotasModule } from '../quotas/quotas.module.js';
import { FormationController } from './formation.controller.js';
import { FormationRepository } from './formation.repository.js';
import { FormationService } from './formation.service.js';

@Module({
  imports: [EnvironmentsModule, QuotasModule, EnvironmentEventsModule, AuditNotesModule],
  controllers: [FormationController],
  providers: [FormationRepository, FormationService],
  exports: [FormationService],
})
export class FormationModule {}
