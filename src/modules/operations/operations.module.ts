import { Module } from '@nestjs/common';
import { AuditNotesModule } from '../../common/audit/audit-notes.module.js';
import { AuthModule } from '../auth/auth.module.js';
import { EnvironmentsModule } from '../environments/environments.module.js';
import { EnvironmentEventsModule } from '../workloads/environment-events.module.js';
import { WorkloadsModule } from '../workloads/workloads.module.js';
import { OperationsController } from './operations.controller.js';
import { OperationsRepository } from './operations.repository.js';
import { OperationsService } from './operations.service.js';

@Module({
  imports: [EnvironmentsModule, WorkloadsModule, EnvironmentEventsModule, AuthModule, AuditNotesModule],
  controllers: [OperationsController],
  providers: [OperationsRepository, OperationsService],
  exports: [OperationsService],
})
export class OperationsModule {}
