// Ports through which common/ machinery reaches the audit log and the idempotency records: the
// audit module binds AuditTrail and DenialRecorder, the idempotency module binds IdempotencyLedger.
// The transaction runner (audited-transaction.ts) and the problem filter depend only on these, so
// common/ never imports a feature module.
import type { FastifyRequest } from 'fastify';
import type { DomainError } from '../errors/domain-error.js';

export interface AuditEntry {
  action: string;
  target: { type: string; id: string | null; name: string | null };
  /** The team and environment the operation was about, as services noted them (AuditNotes). */
  teamId?: string;
  environmentId?: string;
  change: unknown;
}

/** Appends an audit event in the current transaction. */
export abstract class AuditTrail {
  abstract record(entry: AuditEntry): Promise<unknown>;
}

export interface IdempotentReplay {
  status: number;
  body: unknown;
}

/** Idempotency-Key records: begin locks the key and answers a replay; complete stores the answer. */
export abstract class IdempotencyLedger {
  abstract begin(scope: string, key: string, fingerprint: string): Promise<IdempotentReplay | undefined>;
  abstract complete(scope: string, key: string, fingerprint: string, status: number, body: unknown): Promise<void>;
}

/** Denied requests are audited too; the problem filter reaches the audit log through this port. */
export abstract class DenialRecorder {
  abstract recordDenial(request: FastifyRequest, error: DomainError): Promise<void>;
}
