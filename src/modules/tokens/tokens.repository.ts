import { Injectable } from '@nestjs/common';
import { keyset, type PageRequest } from '../../common/pagination/pagination.js';
import { whereId } from '../../common/validation/refs.js';
import { TransactionHost } from '../../database/prisma.service.js';
import type { TokenRecord } from './models/token.model.js';

const TOKEN_SELECT = { id: true, userId: true, description: true, prefix: true, expiresAt: true, revokedAt: true, lastUsedAt: true, createdAt: true } as const;

@Injectable()
export class TokensRepository {
  constructor(private readonly tx: TransactionHost) {}

  async create(data: { userId: string; description: string; prefix: string; hash: string; expiresAt: Date | null }): Promise<TokenRecord> {
    return this.tx.db.apiToken.create({ data, select: TOKEN_SELECT });
  }

  async listForUser(userId: string, page: PageRequest<string>): Promise<TokenRecord[]> {
    const k = keyset(page);
    return this.tx.db.apiToken.findMany({
      where: { userId, ...(k.range ? { id: k.range } : {}) },
      orderBy: { id: k.order },
      take: k.take,
      select: TOKEN_SELECT,
    });
  }

  async countForUser(userId: string): Promise<number> {
    return this.tx.db.apiToken.count({ where: { userId } });
  }

  /** `userId` undefined: any user's token (platform admin). */
  async find(id: string, userId: string | undefined): Promise<TokenRecord | null> {
    return this.tx.db.apiToken.findFirst({ where: whereId(id, [userId ? { userId } : undefined]), select: TOKEN_SELECT });
  }

  async revoke(id: string, at: Date): Promise<TokenRecord> {
    return this.tx.db.apiToken.update({ where: { id }, data: { revokedAt: at }, select: TOKEN_SELECT });
  }

  async existsWithHash(hash: string): Promise<boolean> {
    return (await this.tx.db.apiToken.count({ where: { hash } })) > 0;
  }
}
