import { Module } from '@nestjs/common';
import { AuditNotesModule } from '../../common/audit/audit-notes.module.js';
import { EnvironmentsModule } from '../environments/environments.module.js';
import { EnvironmentEventsModule } from '../workloads/environment-events.module.js';
import { DomainsController } from './domains.controller.js';
import { DomainsRepository } from './domains.repository.js';
import { DomainsService } from './domains.service.js';

@Module({
  imports: [EnvironmentsModule, EnvironmentEventsModule, AuditNotesModule],
  controllers: [DomainsController],
  providers: [DomainsRepository, DomainsService],
  exports: [DomainsRepository, DomainsService],
})
export class DomainsModule {}
