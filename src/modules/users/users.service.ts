import { Injectable } from '@nestjs/common';
import { assertPlatformAdmin, type Actor } from '../../common/auth/actor.js';
import { DomainError } from '../../common/errors/domain-error.js';
import { pageRequest, toPage, withCount, type Page, type PageQuery } from '../../common/pagination/pagination.js';
import { TransactionHost } from '../../database/prisma.service.js';
import type { CreateUserInput } from './dto/create-user.input.js';
import { toUserModel, type CurrentUserModel, type UserModel, type UserRecord } from './models/user.model.js';
import { UsersRepository } from './users.repository.js';

@Injectable()
export class UsersService {
  constructor(
    private readonly users: UsersRepository,
    private readonly tx: TransactionHost,
  ) {}

  async create(actor: Actor, input: CreateUserInput): Promise<UserModel> {
    assertPlatformAdmin(actor);
    const user = await this.tx.run(() => this.users.create({ email: input.email.toLowerCase(), name: input.name, isPlatformAdmin: input.platform_admin ?? false }));
    return toUserModel(user);
  }

  async list(actor: Actor, query: PageQuery): Promise<Page<UserModel>> {
    assertPlatformAdmin(actor);
    const page = pageRequest<string>(query);
    return withCount(toPage(await this.users.list(page), page, (u) => u.id, toUserModel), () => this.users.count());
  }

  /** One user: platform admins see everyone (as the user list), others only themselves (as /me). */
  async get(actor: Actor, id: string): Promise<UserModel> {
    const user = actor.isPlatformAdmin || id === actor.userId ? await this.users.findById(id) : null;
    if (!user) throw DomainError.notFound('user', id);
    return toUserModel(user);
  }

  async me(actor: Actor): Promise<CurrentUserModel> {
    const user = await this.users.findById(actor.userId);
    if (!user) throw DomainError.notFound('user', actor.userId);
    const teams = await this.users.membershipsOf(actor.userId);
    return { ...toUserModel(user), teams: teams.map((t) => ({ team_id: t.teamId, team_name: t.teamName, role: t.role })) };
  }

  /** For other features (tokens): whether a user exists, without access rules. */
  async exists(userId: string): Promise<boolean> {
    return (await this.users.findById(userId)) !== null;
  }

  /**
   * The first platform admin, created with `email` when there is none. Call inside the caller's
   * transaction: replicas starting together serialise on an advisory lock, so only one creates it.
   */
  async ensurePlatformAdmin(email: string): Promise<{ admin: UserRecord; created: boolean }> {
    await this.users.lockForBootstrap();
    const existing = await this.users.findPlatformAdmin();
    if (existing) return { admin: existing, created: false };
    return { admin: await this.users.create({ email, name: 'Platform admin', isPlatformAdmin: true }), created: true };
  }
}
