import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { TransactionHost } from '../../database/prisma.service.js';

export interface StoredResponse {
  responseStatus: number;
  /** The request's fingerprint and the answer, encrypted together. */
  sealed: string;
}

@Injectable()
export class IdempotencyRepository {
  constructor(private readonly tx: TransactionHost) {}

  /**
   * A transaction-scoped advisory lock on (scope, key): held by the request that runs the work,
   * released by its commit or rollback, so a crash leaves no stale "in progress" marker behind.
   */
  async tryLock(scope: string, key: string): Promise<boolean> {
    const lockId = createHash('sha256').update(`${scope}\n${key}`).digest().readBigInt64BE(0);
    const [row] = await this.tx.db.$queryRaw<Array<{ locked: boolean }>>`SELECT pg_try_advisory_xact_lock(${lockId}::bigint) AS locked`;
    return row?.locked === true;
  }

  async find(scope: string, key: string, now: Date): Promise<StoredResponse | null> {
    return this.tx.db.idempotencyRecord.findFirst({
      where: { scope, key, expiresAt: { gt: now } },
      select: { responseStatus: true, sealed: true },
    });
  }

  async save(scope: string, key: string, status: number, sealed: string, now: Date, expiresAt: Date): Promise<void> {
    await this.tx.db.idempotencyRecord.upsert({
      where: { scope_key: { scope, key } },
      create: { scope, key, responseStatus: status, sealed, expiresAt, createdAt: now },
      update: { responseStatus: status, sealed, expiresAt, createdAt: now },
    });
  }

  async deleteExpired(now: Date): Promise<number> {
    return (await this.tx.db.idempotencyRecord.deleteMany({ where: { expiresAt: { lte: now } } })).count;
  }
}
