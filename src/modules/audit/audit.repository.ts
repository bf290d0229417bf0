import { Injectable } from '@nestjs/common';
import { Prisma } from '../../generated/prisma/client.js';
import { TransactionHost } from '../../database/prisma.service.js';
import { hashEvent, type ChainedEvent } from './audit-chain.js';
import type { SignedHead } from './audit-signer.js';

/** Advisory lock key of the checkpoint writer ("berthcp" as an integer). */
const CHECKPOINT_LOCK = 0x62657274686370n;

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
   */
  async append(event: NewAuditEvent): Promise<ChainedEvent> {
    if (!this.tx.inTransaction) throw new Error('audit events are written inside the transaction they describe');
    const db = this.tx.db;
    const [head] = await db.$queryRaw<Array<{ seq: bigint; hash: string }>>`SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE`;
    if (!head) throw new Error('audit_head is missing');
    const occurredAt = new Date();
    const chained = { ...event, seq: head.seq + 1n, occurredAt, prevHash: head.hash, change: event.change ?? null };
    const hash = hashEvent(chained);
    await db.auditEvent.create({ data: { ...chained, change: chained.change === null ? Prisma.DbNull : (chained.change as Prisma.InputJsonValue), hash } });
    // The head's trigger accepts exactly this move: one step, onto the event just inserted.
    await db.$executeRaw`UPDATE audit_head SET seq = ${chained.seq}, hash = ${hash} WHERE id = 1`;
    return { ...chained, hash };
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
