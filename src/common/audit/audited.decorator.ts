import { SetMetadata, UseInterceptors, applyDecorators } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';
import { AuditInterceptor } from './audit.interceptor.js';
import { AUDITED_KEY, type AuditedRoute } from './audited-route.js';

export { AUDITED_KEY, type AuditedRoute } from './audited-route.js';

/**
 * Marks an operation as audited. Mutations (and reads that reveal secrets) run in one transaction
 * with their audit event and their idempotency record: all commit or none does. The action also
 * appears in the OpenAPI document as `x-berth-audit`. The REST interceptor is applied here, to this
 * route only: routes without `@Audited` (reads) run with no interceptor at all. GraphQL operations
 * get theirs from PayloadMutation (mutations) or GraphqlAudited (audited queries).
 */
export const Audited = (action: string, target: string) =>
  applyDecorators(SetMetadata(AUDITED_KEY, { action, target } satisfies AuditedRoute), ApiExtension('x-berth-audit', action), UseInterceptors(AuditInterceptor));
