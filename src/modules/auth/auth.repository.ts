import { Injectable } from '@nestjs/common';
import { TransactionHost } from '../../database/prisma.service.js';
import type { TeamRole } from '../../common/auth/actor.js';

export interface TokenOwnerRecord {
  tokenId: string;
  expiresAt: Date | null;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
  user: { id: string; name: string; email: string; isPlatformAdmin: boolean; memberships: Array<{ teamId: string; role: TeamRole }> };
}

@Injectable()
export class AuthRepository {
  constructor(private readonly tx: TransactionHost) {}

  async findByTokenHash(hash: string): Promise<TokenOwnerRecord | null> {
    const token = await this.tx.db.apiToken.findUnique({
      where: { hash },
      select: {
        id: true,
        expiresAt: true,
        revokedAt: true,
        lastUsedAt: true,
        user: { select: { id: true, name: true, email: true, isPlatformAdmin: true, memberships: { select: { teamId: true, role: true } } } },
      },
    });
    if (!token) return null;
    return { tokenId: token.id, expiresAt: token.expiresAt, revokedAt: token.revokedAt, lastUsedAt: token.lastUsedAt, user: token.user };
  }

  async touch(tokenId: string, at: Date): Promise<void> {
    await this.tx.db.apiToken.update({ where: { id: tokenId }, data: { lastUsedAt: at } });
  }
}
