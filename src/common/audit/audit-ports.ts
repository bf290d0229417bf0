// The two stores an audited operation writes to, as ports: the audit module binds AuditTrail, the
// idempotency module binds IdempotencyLedger. The transaction runner (audited-transaction.ts)
// depends only on these, so common/ never imports a feature module.

export interface AuditEntry {
  action: string;
  target: { type: string; id: string | null; name: string | null };
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
