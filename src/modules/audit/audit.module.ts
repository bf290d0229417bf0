import { Global, Module } from '@nestjs/common';
import { TeamsModule } from '../teams/teams.module.js';
import { AuditController } from './audit.controller.js';
import { AuditInterceptor } from './audit.interceptor.js';
import { AuditRepository } from './audit.repository.js';
import { AuditService } from './audit.service.js';
import { DenialRecorder } from '../../common/http/problem.filter.js';
import { AuditDenialRecorder } from './denial-recorder.js';

@Global()
@Module({
  imports: [TeamsModule],
  controllers: [AuditController],
  providers: [AuditRepository, AuditService, AuditInterceptor, { provide: DenialRecorder, useClass: AuditDenialRecorder }],
  exports: [AuditService, AuditInterceptor, DenialRecorder],
})
export class AuditModule {}
