// Typed fakes of the audit runner's ports: an audit trail that keeps the entries it was given and an
// idempotency ledger in memory. Typed against the real abstract classes, so a changed port breaks
// them at compile time.
import { AuditTrail, IdempotencyLedger, type AuditEntry, type IdempotentReplay } from '../../../src/common/audit/audit-ports.js';

export class RecordingAuditTrail extends AuditTrail {
  readonly entries: AuditEntry[] = [];

  async record(entry: AuditEntry): Promise<void> {
    this.entries.push(entry);
  }
}

export class MemoryIdempotencyLedger extends IdempotencyLedger {
  readonly answers = new Map<string, { fingerprint: string; status: number; body: unknown }>();

  async begin(scope: string, key: string, fingerprint: string): Promise<IdempotentReplay | undefined> {
    const stored = this.answers.get(`${scope}/${key}`);
    if (!stored) return undefined;
    if (stored.fingerprint !== fingerprint) throw new Error('idempotency key reused for another request');
    return { status: stored.status, body: stored.body };
  }

  async complete(scope: string, key: string, fingerprint: string, status: number, body: unknown): Promise<void> {
    this.answers.set(`${scope}/${key}`, { fingerprint, status, body });
  }
}
