// The write-path row's "off" arm: Berth built with the audit trail and the quota checks substituted
// by no-ops, so the benchmark measures what they cost. Product code has no switch for this: the
// providers are overridden here, the way a test substitutes a port.
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import type { AuditRecordInput } from '../../src/modules/audit/audit.service.js';
import { AuditService } from '../../src/modules/audit/audit.service.js';
import type { ChainedEvent } from '../../src/modules/audit/audit-chain.js';
import { QuotasService } from '../../src/modules/quotas/quotas.service.js';
import type { UsageDelta } from '../../src/modules/quotas/quota-dimensions.js';
import type { CreateApp } from '../../src/server.js';

/** Appends nothing: audited operations commit without their event. */
class UnrecordedAudit extends AuditService {
  override async record(_input: AuditRecordInput): Promise<ChainedEvent> {
    return undefined as unknown as ChainedEvent;
  }
}

/** Neither counts usage nor checks limits. */
class UncheckedQuotas extends QuotasService {
  override async apply(_teamId: string, _delta: UsageDelta): Promise<void> {}
  override async assertReplicasAllowed(_teamId: string, _replicas: number, _field: string): Promise<void> {}
}

export const withoutTrust: CreateApp = async (root, adapter, options) => {
  const moduleRef = await Test.createTestingModule({ imports: [root] })
    .overrideProvider(AuditService)
    .useClass(UnrecordedAudit)
    .overrideProvider(QuotasService)
    .useClass(UncheckedQuotas)
    .compile();
  return moduleRef.createNestApplication<NestFastifyApplication>(adapter, options);
};
