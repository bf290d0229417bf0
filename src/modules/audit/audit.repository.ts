import { Injectable } from '@nestjs/common';
import { Prisma } from '../../generated/prisma/client.js';
import { TransactionHost } from '../../database/prisma.service.js';
import { canonicalJsonAround } from '../../common/json/canonical-json.js';
import type { ChainedEvent } from './audit-chain.js';
import type { SignedHead } from './audit-signer.js';

/** Advisory lock key of the checkpoint writer ("berthcp" as an integer). */
const CHECKPOINT_LOCK = 0x62657274686370n;

/**
 * The append, as one statement (see append). $1..$3: the canonical JSON around the time and seq
 * ($1 starts with the newline after prevHash); the time is cut to milliseconds, what the column
 * and a JavaScript Date hold, and spelled as Date.toISOString does. $19: a NOTIFY channel or null.
 */
const APPEND = `
WITH head AS MATERIALIZED (
  SELECT seq + 1 AS seq, hash AS prev_hash FROM audit_head WHERE id = 1 FOR UPDATE
), stamped AS MATERIALIZED (
  SELECT seq, prev_hash, date_trunc('milliseconds', clock_timestamp()) AS occurred_at FROM head
), hashed AS MATERIALIZED (
  SELECT seq, prev_hash, occurred_at,
         encode(sha256(convert_to(prev_hash || $1::text || '"' || to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') || '"'
                                  || $2::text || '"' || seq::text || '"' || $3::text, 'UTF8')), 'hex') AS hash
  FROM stamped
), event AS (
  INSERT INTO audit_events (seq, occurred_at, actor_type, actor_id, actor_name, team_id, action, target_type, target_id, target_name,
                            environment_id, request_id, idempotency_key, source_ip, user_agent, outcome, change, prev_hash, hash)
  SELECT seq, occurred_at, $4::text, $5::text, $6::text, $7::uuid, $8::text, $9::text, $10::text, $11::text,
         $12::uuid, $13::text, $14::text, $15::text, $16::text, $17::"AuditOutcome", $18::jsonb, prev_hash, hash
  FROM hashed
  RETURNING seq, occurred_at, prev_hash, hash, team_id
), moved AS (
  UPDATE audit_head SET seq = event.seq, hash = event.hash FROM event WHERE audit_head.id = 1
  RETURNING event.seq, event.occurred_at, event.prev_hash, event.hash, event.team_id
)
SELECT seq, occurred_at, prev_hash, hash,
       -- pg_notify returns void, which no client maps: compared, it is only a boolean.
       CASE WHEN $19::text IS NULL THEN false ELSE pg_notify($19::text, json_build_object('seq', seq::text, 'team_id', team_id)::text)::text = '' END AS notified
FROM moved`;

export type NewAuditEvent = Omit<ChainedEvent, 'seq' | 'prevHash' | 'hash' | 'occurredAt'>;

export interface AuditFilter {
  teamIds?: string[];
  actorId?: string;
  action?: string;
  targetId?: string;
  targetType?: string;
  environmentId?: string;
  since?: Date;
  until?: Date;
  afterSeq?: bigint;
  beforeSeq?: bigint;
}

@Injectable()
export class AuditRepository {
  constructor(private readonly tx: TransactionHost) {}

  /**
   * Appends one event. Must run inside the transaction whose change it records: locking the head
   * row serialises audited commits, which keeps sequence numbers gap-free and the chain linear.
   *
   * One statement, sent last before COMMIT (AuditedTransaction), so the head row stays locked for
   * one round trip instead of one per step: everything that does not depend on the head (the
   * event's canonical JSON around its seq and time) is prepared here first; the database then locks
   * the head, stamps the time, completes the hash exactly as hashEvent would (sha256 of prevHash,
   * a newline and the canonical JSON), inserts the event and moves the head onto it. The head's
   * trigger still checks that move: a row-level trigger sees the rows an earlier part of the same
   * statement wrote (test/integration/audit-append.spec.ts holds PostgreSQL to that). `notify`
   * sends { seq, team_id } on that channel at commit, in the same statement.
   */
  async append(event: NewAuditEvent, notify?: string): Promise<ChainedEvent> {
    if (!this.tx.inTransaction) throw new Error('audit events are written inside the transaction they describe');
    const change = event.change ?? null;
    const [beforeTime, beforeSeq, rest] = canonicalJsonAround({ ...event, change, occurredAt: 0, seq: 0 }, ['occurredAt', 'seq']);
    const rows = await this.tx.db.$queryRawUnsafe<Array<{ seq: bigint; occurred_at: Date; prev_hash: string; hash: string }>>(
      APPEND,
      `\n${beforeTime}`,
      beforeSeq,
      rest,
      event.actorType,
      event.actorId,
      event.actorName,
      event.teamId,
      event.action,
      event.targetType,
      event.targetId,
      event.targetName,
      event.environmentId,
      event.requestId,
      event.idempotencyKey,
      event.sourceIp,
      event.userAgent,
      event.outcome,
      change === null ? null : JSON.stringify(change),
      notify ?? null,
    );
    const row = rows[0];
    if (!row) throw new Error('audit_head is missing');
    return { ...event, change, seq: row.seq, occurredAt: row.occurred_at, prevHash: row.prev_hash, hash: row.hash };
  }

  /** `order: 'desc'` reads backwards from `beforeSeq` (GraphQL's last/before). */
  async list(filter: AuditFilter, limit: number, order: 'asc' | 'desc' = 'asc'): Promise<ChainedEvent[]> {
    const rows = await this.tx.db.auditEvent.findMany({ where: this.where(filter), orderBy: { seq: order }, take: limit });
    return rows as ChainedEvent[];
  }

  /** How many events match the filter (its seq bounds ignored). */
  async count(filter: AuditFilter): Promise<number> {
    return this.tx.db.auditEvent.count({ where: this.where({ ...filter, afterSeq: undefined, beforeSeq: undefined }) });
  }

  /** Events in sequence order from `afterSeq`, for verification and export. */
  async batch(afterSeq: bigint, size: number, filter: AuditFilter = {}): Promise<ChainedEvent[]> {
    const rows = await this.tx.db.auditEvent.findMany({ where: { ...this.where(filter), seq: { gt: afterSeq } }, orderBy: { seq: 'asc' }, take: size });
    return rows as ChainedEvent[];
  }

  async head(): Promise<{ seq: bigint; hash: string }> {
    const head = await this.tx.db.auditHead.findUnique({ where: { id: 1 } });
    if (!head) throw new Error('audit_head is missing');
    return head;
  }

  async findBySeq(seq: bigint): Promise<ChainedEvent | null> {
    return (await this.tx.db.auditEvent.findUnique({ where: { seq } })) as ChainedEvent | null;
  }

  /**
   * Makes this transaction the only checkpoint writer until it ends (other replicas skip the tick),
   * so two replicas never sign and send the same head at once.
   */
  async tryLockCheckpointWriter(): Promise<boolean> {
    const [row] = await this.tx.db.$queryRaw<Array<{ locked: boolean }>>`SELECT pg_try_advisory_xact_lock(${CHECKPOINT_LOCK}::bigint) AS locked`;
    return row?.locked === true;
  }

  async lastCheckpointSeq(): Promise<bigint | null> {
    const last = await this.tx.db.auditCheckpoint.findFirst({ orderBy: { seq: 'desc' }, select: { seq: true } });
    return last?.seq ?? null;
  }

  /** False when that sequence was already checkpointed (by another replica). */
  async recordCheckpoint(checkpoint: SignedHead, sink: string): Promise<boolean> {
    const count = await this.tx.db.$executeRaw`
      INSERT INTO audit_checkpoints (seq, hash, signed_at, key_id, signature, sink)
      VALUES (${BigInt(checkpoint.seq)}, ${checkpoint.hash}, ${new Date(checkpoint.exported_at)}, ${checkpoint.key_id}, ${checkpoint.signature}, ${sink})
      ON CONFLICT (seq) DO NOTHING`;
    return count > 0;
  }

  async recordedCheckpoints(): Promise<SignedHead[]> {
    const rows = await this.tx.db.auditCheckpoint.findMany({ orderBy: { seq: 'asc' } });
    return rows.map((r) => ({ seq: r.seq.toString(), hash: r.hash, exported_at: r.signedAt.toISOString(), algorithm: 'ed25519' as const, key_id: r.keyId, signature: r.signature }));
  }

  private where(filter: AuditFilter): Prisma.AuditEventWhereInput {
    return {
      ...(filter.teamIds ? { teamId: { in: filter.teamIds } } : {}),
      ...(filter.actorId ? { actorId: filter.actorId } : {}),
      ...(filter.action ? (filter.action.endsWith('.*') ? { action: { startsWith: filter.action.slice(0, -1) } } : { action: filter.action }) : {}),
      ...(filter.targetId ? { targetId: filter.targetId } : {}),
      ...(filter.targetType ? { targetType: filter.targetType } : {}),
      ...(filter.environmentId ? { environmentId: filter.environmentId } : {}),
      ...(filter.since || filter.until ? { occurredAt: { ...(filter.since ? { gte: filter.since } : {}), ...(filter.until ? { lt: filter.until } : {}) } } : {}),
      ...(filter.afterSeq !== undefined || filter.beforeSeq !== undefined
        ? { seq: { ...(filter.afterSeq !== undefined ? { gt: filter.afterSeq } : {}), ...(filter.beforeSeq !== undefined ? { lt: filter.beforeSeq } : {}) } }
        : {}),
    };
  }
}
