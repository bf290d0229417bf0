import { Injectable } from '@nestjs/common';
import { PrismaService, TransactionHost } from '../../database/prisma.service.js';
import type { TeamRole } from '../../common/auth/actor.js';

export interface TokenOwnerRecord {
  tokenId: string;
  expiresAt: Date | null;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
  user: { id: string; name: string; email: string; isPlatformAdmin: boolean; memberships: Array<{ teamId: string; role: TeamRole }> };
}

export interface TokenAccessState {
  expiresAt: Date | null;
  revokedAt: Date | null;
  isPlatformAdmin: boolean;
  roles: Map<string, TeamRole>;
}

interface TokenOwnerRow {
  token_id: string;
  expires_at: Date | null;
  revoked_at: Date | null;
  last_used_at: Date | null;
  user_id: string;
  name: string;
  email: string;
  is_platform_admin: boolean;
  memberships: Array<{ teamId: string; role: TeamRole }> | null;
}

const TOKEN_OWNER = {
  name: 'berth_token_owner',
  text: `SELECT t.id AS token_id, t.expires_at, t.revoked_at, t.last_used_at,
                u.id AS user_id, u.name, u.email, u.is_platform_admin,
                (SELECT json_agg(json_build_object('teamId', m.team_id, 'role', m.role)) FROM memberships m WHERE m.user_id = u.id) AS memberships
         FROM api_tokens t JOIN users u ON u.id = t.user_id
         WHERE t.hash = $1`,
};

@Injectable()
export class AuthRepository {
  constructor(
    private readonly tx: TransactionHost,
    private readonly prisma: PrismaService,
  ) {}

  /**
   * Token, user and team roles in one round trip: this runs on every request, so it is one prepared
   * statement sent by `pg` itself (through Prisma it cost more CPU than the rest of a read request;
   * docs/performance.md, Profiles). Never part of a request's transaction: it runs before the handler.
   */
  async findByTokenHash(hash: string): Promise<TokenOwnerRecord | null> {
    const rows = await this.prisma.query<TokenOwnerRow>(TOKEN_OWNER, [hash]);
    const row = rows[0];
    if (!row) return null;
    return {
      tokenId: row.token_id,
      expiresAt: row.expires_at,
      revokedAt: row.revoked_at,
      lastUsedAt: row.last_used_at,
      user: { id: row.user_id, name: row.name, email: row.email, isPlatformAdmin: row.is_platform_admin, memberships: row.memberships ?? [] },
    };
  }

  /**
   * Records the token's use at most once a minute, decided by the database: concurrent requests
   * (200 aliases, a burst of calls) that all read an old last_used_at write once, not once each.
   */
  async touch(tokenId: string): Promise<void> {
    await this.tx.db.$executeRaw`
      UPDATE api_tokens SET last_used_at = now()
      WHERE id = ${tokenId}::uuid AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')`;
  }

  /** Revocation, expiry, platform admin flag and team roles of several tokens, in one query. */
  async accessStates(tokenIds: string[]): Promise<Map<string, TokenAccessState>> {
    if (!tokenIds.length) return new Map();
    const rows = await this.tx.db.$queryRaw<
      Array<{ token_id: string; expires_at: Date | null; revoked_at: Date | null; is_platform_admin: boolean; memberships: Array<{ teamId: string; role: TeamRole }> | null }>
    >`
      SELECT t.id AS token_id, t.expires_at, t.revoked_at, u.is_platform_admin,
             (SELECT json_agg(json_build_object('teamId', m.team_id, 'role', m.role)) FROM memberships m WHERE m.user_id = u.id) AS memberships
      FROM api_tokens t JOIN users u ON u.id = t.user_id
      WHERE t.id = ANY(${tokenIds}::uuid[])`;
    return new Map(
      rows.map((row) => [
        row.token_id,
        { expiresAt: row.expires_at, revokedAt: row.revoked_at, isPlatformAdmin: row.is_platform_admin, roles: new Map((row.memberships ?? []).map((m) => [m.teamId, m.role])) },
      ]),
    );
  }
}
