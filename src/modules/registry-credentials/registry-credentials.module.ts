import { Module } from '@nestjs/common';
import { AuditNotesModule } from '../../common/audit/audit-notes.module.js';
import { TeamsModule } from '../teams/teams.module.js';
import { EnvironmentEventsModule } from '../workloads/environment-events.module.js';
import { RegistryCredentialsController } from './registry-credentials.controller.js';
import { RegistryCredentialsRepository } from './registry-credentials.repository.js';
import { RegistryCredentialsService } from './registry-credentials.service.js';

@Module({
  imports: [TeamsModule, AuditNotesModule, EnvironmentEventsModule],
  controllers: [RegistryCredentialsController],
  providers: [RegistryCredentialsRepository, RegistryCredentialsService],
  exports: [RegistryCredentialsService, RegistryCredentialsRepository],
})
export class RegistryCredentialsModule {}
