import { Module } from '@nestjs/common';
import { TeamsModule } from '../teams/teams.module.js';
import { AuditController } from './audit.controller.js';
import { AuditTrail, DenialRecorder } from '../../common/audit/audit-ports.js';
import { AuditNotesModule } from '../../common/audit/audit-notes.module.js';
import { AuditInterceptor } from '../../common/audit/audit.interceptor.js';
import { AuditedTransaction } from '../../common/audit/audited-transaction.js';
import { IdempotencyModule } from '../idempotency/idempotency.module.js';
import { AuditRepository } from './audit.repository.js';
import { AuditService } from './audit.service.js';
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

@Module({
  imports: [TeamsModule, IdempotencyModule, AuditNotesModule],
  controllers: [AuditController],
  providers: [AuditRepository, AuditService, { provide: AuditTrail, useExisting: AuditService }, AuditedTransaction, AuditInterceptor, signerProvider, checkpointSinkProvider, AuditCheckpointService, { provide: DenialRecorder, useClass: AuditDenialRecorder }],
  exports: [AuditService, AuditTrail, AuditedTransaction, AuditInterceptor, DenialRecorder, AuditCheckpointService],
})
export class AuditModule {}
