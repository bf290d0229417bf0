import { Injectable } from '@nestjs/common';
import { Prisma } from '../../generated/prisma/client.js';
import { TransactionHost } from '../../database/prisma.service.js';
import { hashEvent, type ChainedEvent } from './audit-chain.js';

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
    const [head] = await db.$queryRaw<Array<{ seq: bigint; hash: string }>>`
      UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash`;
    if (!head) throw new Error('audit_head is missing');
    const occurredAt = new Date();
    const chained = { ...event, seq: head.seq, occurredAt, prevHash: head.hash, change: event.change ?? null };
    const hash = hashEvent(chained);
    await db.auditEvent.create({ data: { ...chained, change: chained.change === null ? Prisma.DbNull : (chained.change as Prisma.InputJsonValue), hash } });
    await db.$executeRaw`UPDATE audit_head SET hash = ${hash} WHERE id = 1`;
    return { ...chained, hash };
  }

  async list(filter: AuditFilter, limit: number): Promise<ChainedEvent[]> {
    const rows = await this.tx.db.auditEvent.findMany({ where: this.where(filter), orderBy: { seq: 'asc' }, take: limit });
    return rows as ChainedEvent[];
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

  private where(filter: AuditFilter): Prisma.AuditEventWhereInput {
    return {
      ...(filter.teamIds ? { teamId: { in: filter.teamIds } } : {}),
      ...(filter.actorId ? { actorId: filter.actorId } : {}),
      ...(filter.action ? (filter.action.endsWith('.*') ? { action: { startsWith: filter.action.slice(0, -1) } } : { action: filter.action }) : {}),
      ...(filter.targetId ? { targetId: filter.targetId } : {}),
      ...(filter.targetType ? { targetType: filter.targetType } : {}),
      ...(filter.environmentId ? { environmentId: filter.environmentId } : {}),
      ...(filter.since || filter.until ? { occurredAt: { ...(filter.since ? { gte: filter.since } : {}), ...(filter.until ? { lt: filter.until } : {}) } } : {}),
      ...(filter.afterSeq !== undefined ? { seq: { gt: filter.afterSeq } } : {}),
    };
  }
}
