import { Injectable } from '@nestjs/common';
import { keyset, type PageRequest } from '../../common/pagination/pagination.js';
import { isUuid, whereRef } from '../../common/validation/refs.js';
import { uniquely } from '../../database/prisma-errors.js';
import { PrismaService, TransactionHost } from '../../database/prisma.service.js';
import { formationUsage } from '../quotas/quota-dimensions.js';
import type { AppRecord } from './models/app.model.js';

const APP_INCLUDE = { team: { select: { id: true, name: true } } } as const;

interface AppRow {
  id: string;
  team_id: string;
  name: string;
  description: string;
  state: AppRecord['state'];
  version: number;
  created_at: Date;
  updated_at: Date;
  team_name: string;
}

const APP_SELECT = `SELECT a.id, a.team_id, a.name, a.description, a.state::text AS state, a.version, a.created_at, a.updated_at, t.name AS team_name
  FROM apps a JOIN teams t ON t.id = a.team_id`;
const APP_BY_ID = { name: 'berth_app_by_id', text: `${APP_SELECT} WHERE a.id = $1::uuid AND ($2::uuid[] IS NULL OR a.team_id = ANY($2::uuid[])) LIMIT 1` };
const APP_BY_NAME = { name: 'berth_app_by_name', text: `${APP_SELECT} WHERE a.name = $1 AND ($2::uuid[] IS NULL OR a.team_id = ANY($2::uuid[])) LIMIT 1` };

@Injectable()
export class AppsRepository {
  constructor(
    private readonly tx: TransactionHost,
    private readonly prisma: PrismaService,
  ) {}

  /**
   * `teamIds` undefined means every team; otherwise the app must belong to one of them. Every request
   * about an app starts here, so outside a transaction it is one prepared statement (app and team
   * joined) sent by `pg`: through Prisma it was two statements and most of a read's CPU
   * (docs/performance.md, Profiles). Inside a transaction it must see the transaction's own writes.
   */
  async findByRef(ref: string, teamIds: string[] | undefined): Promise<AppRecord | null> {
    if (this.tx.inTransaction) return this.tx.db.app.findFirst({ where: whereRef(ref, [teamIds ? { teamId: { in: teamIds } } : undefined]), include: APP_INCLUDE });
    // The reference and the tenant scope are separate AND terms, as whereRef builds them.
    const [row] = await this.prisma.query<AppRow>(isUuid(ref) ? APP_BY_ID : APP_BY_NAME, [isUuid(ref) ? ref.toLowerCase() : ref, teamIds ?? null]);
    return row ? { id: row.id, teamId: row.team_id, name: row.name, description: row.description, state: row.state, version: row.version, createdAt: row.created_at, updatedAt: row.updated_at, team: { id: row.team_id, name: row.team_name } } : null;
  }

  async list(teamIds: string[] | undefined, page: PageRequest<string>): Promise<AppRecord[]> {
    const k = keyset(page);
    return this.tx.db.app.findMany({
      where: { ...(teamIds ? { teamId: { in: teamIds } } : {}), ...(k.range ? { id: k.range } : {}) },
      orderBy: { id: k.order },
      take: k.take,
      include: APP_INCLUDE,
    });
  }

  /** How many apps `list` pages through (same tenant filter). */
  async count(teamIds: string[] | undefined): Promise<number> {
    return this.tx.db.app.count({ where: teamIds ? { teamId: { in: teamIds } } : {} });
  }

  /** Apps by id, only within `teamIds` (the tenant stays explicit in batched reads). */
  async findManyByIds(teamIds: string[], ids: string[]): Promise<AppRecord[]> {
    return this.tx.db.app.findMany({ where: { teamId: { in: teamIds }, id: { in: ids } }, include: APP_INCLUDE });
  }

  /** Every app of these teams in id order, for the team → apps link (bounded by the teams' app quotas). */
  async listByTeams(teamIds: string[]): Promise<AppRecord[]> {
    return this.tx.db.app.findMany({ where: { teamId: { in: teamIds } }, orderBy: { id: 'asc' }, include: APP_INCLUDE });
  }

  async create(data: { teamId: string; name: string; description: string }): Promise<AppRecord> {
    return uniquely(() => this.tx.db.app.create({ data, include: APP_INCLUDE }), 'app', 'name', data.name);
  }

  /** Updates only from `expectedVersion` when given; null when the app moved on (a lost update avoided). */
  async update(teamId: string, id: string, data: { description?: string }, expectedVersion?: number): Promise<AppRecord | null> {
    const result = await this.tx.db.app.updateMany({ where: { id, teamId, ...(expectedVersion !== undefined ? { version: expectedVersion } : {}) }, data: { ...data, version: { increment: 1 } } });
    return result.count ? this.tx.db.app.findFirst({ where: { id, teamId }, include: APP_INCLUDE }) : null;
  }

  /** What the app holds against its team's quota: its environments and their formations. */
  async usageOf(teamId: string, id: string): Promise<{ environments: number; cpuMillis: number; memoryMib: number }> {
    const [environments, processes] = await Promise.all([
      this.tx.db.environment.count({ where: { teamId, appId: id } }),
      this.tx.db.processType.findMany({ where: { teamId, environment: { appId: id } }, select: { replicas: true, size: true, autoscaleMax: true } }),
    ]);
    return { environments, ...formationUsage(processes) };
  }

  /** Marks the app and its environments `deleting`; returns the environments' ids. */
  async markDeleting(teamId: string, id: string): Promise<string[]> {
    await this.tx.db.app.updateMany({ where: { id, teamId }, data: { state: 'deleting', version: { increment: 1 } } });
    await this.tx.db.environment.updateMany({ where: { appId: id, teamId }, data: { state: 'deleting', version: { increment: 1 } } });
    return (await this.tx.db.environment.findMany({ where: { appId: id, teamId }, select: { id: true } })).map((e) => e.id);
  }

  async delete(teamId: string, id: string): Promise<void> {
    await this.tx.db.app.delete({ where: { id, teamId } });
  }
}
