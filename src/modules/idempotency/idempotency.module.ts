import { Module } from '@nestjs/common';
import { IdempotencyLedger } from '../../common/audit/audit-ports.js';
import { IdempotencyRepository } from './idempotency.repository.js';
import { IdempotencyService } from './idempotency.service.js';

@Module({
  providers: [IdempotencyRepository, IdempotencyService, { provide: IdempotencyLedger, useExisting: IdempotencyService }],
  exports: [IdempotencyService, IdempotencyLedger],
})
export class IdempotencyModule {}
