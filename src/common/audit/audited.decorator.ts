import { SetMetadata, applyDecorators } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';

export interface AuditedRoute {
  /** e.g. `app.create`; one action per operation. */
  action: string;
  /** Type of the object the operation is about, e.g. `app`. */
  target: string;
}

export const AUDITED_KEY = 'berth:audited';

/**
 * Marks an operation as audited. Mutations (and reads that reveal secrets) run in one transaction
 * with their audit event and their idempotency record: all commit or none does. The action also
 * appears in the OpenAPI document as `x-berth-audit`.
 */
export const Audited = (action: string, target: string) =>
  applyDecorators(SetMetadata(AUDITED_KEY, { action, target } satisfies AuditedRoute), ApiExtension('x-berth-audit', action));
