import { Injectable } from '@nestjs/common';
import type { Actor } from '../../common/auth/actor.js';
import { displayPrefix, generateToken, hashToken } from '../../common/crypto/tokens.js';
import { AuditNotes } from '../../common/audit/audit-notes.js';
import { DomainError } from '../../common/errors/domain-error.js';
import { pageRequest, toPage, withCount, type Page, type PageQuery } from '../../common/pagination/pagination.js';
import { isUuid } from '../../common/validation/refs.js';
import { TransactionHost } from '../../database/prisma.service.js';
import { UsersService } from '../users/users.service.js';
import type { CreateTokenInput } from './dto/create-token.input.js';
import { toTokenModel, type CreatedTokenModel, type TokenModel } from './models/token.model.js';
import { TokensRepository } from './tokens.repository.js';

@Injectable()
export class TokensService {
  constructor(
    private readonly tokens: TokensRepository,
    private readonly users: UsersService,
    private readonly tx: TransactionHost,
    private readonly notes: AuditNotes,
  ) {}

  async create(actor: Actor, input: CreateTokenInput): Promise<CreatedTokenModel> {
    const userId = input.user_id?.toLowerCase() ?? actor.userId;
    if (userId !== actor.userId && !actor.isPlatformAdmin) {
      throw new DomainError('forbidden', 'only platform admins may mint tokens for other users');
    }
    return this.tx.run(async () => {
      if (!(await this.users.exists(userId))) throw DomainError.invalid('user_id', 'no such user');
      const token = generateToken();
      const record = await this.tokens.create({
        userId,
        description: input.description ?? '',
        prefix: displayPrefix(token),
        hash: hashToken(token),
        expiresAt: input.expires_in ? new Date(Date.now() + input.expires_in * 1000) : null,
      });
      return { ...toTokenModel(record), token };
    });
  }

  /** Registers a token chosen by the operator (BERTH_BOOTSTRAP_TOKEN); idempotent. */
  async ensure(userId: string, token: string, description: string): Promise<void> {
    const hash = hashToken(token);
    if (await this.tokens.existsWithHash(hash)) return;
    await this.tokens.create({ userId, description, prefix: displayPrefix(token), hash, expiresAt: null });
  }

  async mint(userId: string, description: string): Promise<string> {
    const token = generateToken();
    await this.tokens.create({ userId, description, prefix: displayPrefix(token), hash: hashToken(token), expiresAt: null });
    return token;
  }

  async list(actor: Actor, query: PageQuery): Promise<Page<TokenModel>> {
    const page = pageRequest<string>(query);
    return withCount(toPage(await this.tokens.listForUser(actor.userId, page), page, (t) => t.id, toTokenModel), () => this.tokens.countForUser(actor.userId));
  }

  async get(actor: Actor, id: string): Promise<TokenModel> {
    return toTokenModel(await this.findOwn(actor, id));
  }

  async revoke(actor: Actor, id: string): Promise<TokenModel> {
    const token = await this.findOwn(actor, id);
    if (token.revokedAt) return toTokenModel(token);
    const revoked = toTokenModel(await this.tx.run(() => this.tokens.revoke(token.id, new Date())));
    // REST answers 204 with no body, so the audit event names the token through its change.
    this.notes.change({ before: { id: revoked.id, prefix: revoked.prefix, revoked_at: null }, after: { id: revoked.id, prefix: revoked.prefix, revoked_at: revoked.revoked_at } });
    return revoked;
  }

  private async findOwn(actor: Actor, id: string) {
    const token = isUuid(id) ? await this.tokens.find(id.toLowerCase(), actor.isPlatformAdmin ? undefined : actor.userId) : null;
    if (!token) throw DomainError.notFound('token', id);
    return token;
  }
}
