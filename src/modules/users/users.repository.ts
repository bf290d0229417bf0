import { Injectable } from '@nestjs/common';
import { keyset, type PageRequest } from '../../common/pagination/pagination.js';
import { uniquely } from '../../database/prisma-errors.js';
import { TransactionHost } from '../../database/prisma.service.js';
import type { UserRecord } from './models/user.model.js';

@Injectable()
export class UsersRepository {
  constructor(private readonly tx: TransactionHost) {}

  async create(data: { email: string; name: string; isPlatformAdmin: boolean }): Promise<UserRecord> {
    return uniquely(() => this.tx.db.user.create({ data }), 'user', 'email', data.email);
  }

  async findByEmail(email: string): Promise<UserRecord | null> {
    return this.tx.db.user.findUnique({ where: { email } });
  }

  async findById(id: string): Promise<UserRecord | null> {
    return this.tx.db.user.findUnique({ where: { id } });
  }

  async list(page: PageRequest<string>): Promise<UserRecord[]> {
    const k = keyset(page);
    return this.tx.db.user.findMany({ where: k.range ? { id: k.range } : {}, orderBy: { id: k.order }, take: k.take });
  }

  async count(): Promise<number> {
    return this.tx.db.user.count();
  }

  /** Users by id (no tenant: users belong to no team; callers decide who may see them). */
  async findManyByIds(ids: string[]): Promise<UserRecord[]> {
    return this.tx.db.user.findMany({ where: { id: { in: ids } } });
  }

  async lockForBootstrap(): Promise<void> {
    await this.tx.db.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('berth:bootstrap'))`;
  }

  async findPlatformAdmin(): Promise<UserRecord | null> {
    return this.tx.db.user.findFirst({ where: { isPlatformAdmin: true }, orderBy: { createdAt: 'asc' } });
  }

  async membershipsOf(userId: string): Promise<Array<{ teamId: string; teamName: string; role: 'owner' | 'admin' | 'developer' | 'viewer' }>> {
    const rows = await this.tx.db.membership.findMany({ where: { userId }, select: { role: true, team: { select: { id: true, name: true } } }, orderBy: { teamId: 'asc' } });
    return rows.map((r) => ({ teamId: r.team.id, teamName: r.team.name, role: r.role }));
  }
}
