import { Global, Module } from '@nestjs/common';
import { TeamsModule } from '../teams/teams.module.js';
import { AuditController } from './audit.controller.js';
import { AuditInterceptor } from './audit.interceptor.js';
import { AuditRepository } from './audit.repository.js';
import { AuditService } from './audit.service.js';
import { DenialRecorder } from '../../common/http/problem.filter.js';
import { AuditDenialRecorder } from './denial-recorder.js';
import { AuditSigner } from './audit-signer.js';
import { AuditCheckpointService } from './checkpoints/audit-checkpoint.service.js';
import { checkpointSinkProvider } from './checkpoints/checkpoint-sink.provider.js';
import { BERTH_CONFIG, type BerthConfig } from '../../config/config.js';
import { EncryptionService } from '../../common/crypto/encryption.service.js';

const signerProvider = {
  provide: AuditSigner,
  inject: [BERTH_CONFIG, EncryptionService],
  useFactory: (config: BerthConfig, encryption: EncryptionService) => AuditSigner.fromConfig(config.auditSigningKey, encryption.currentKeyMaterial),
};

@Global()
@Module({
  imports: [TeamsModule],
  controllers: [AuditController],
  providers: [AuditRepository, AuditService, AuditInterceptor, signerProvider, checkpointSinkProvider, AuditCheckpointService, { provide: DenialRecorder, useClass: AuditDenialRecorder }],
  exports: [AuditService, AuditInterceptor, DenialRecorder, AuditCheckpointService],
})
export class AuditModule {}
