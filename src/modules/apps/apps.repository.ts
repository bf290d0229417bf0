import { Injectable } from '@nestjs/common';
import { keyset, type PageRequest } from '../../common/pagination/pagination.js';
import { whereRef } from '../../common/validation/refs.js';
import { uniquely } from '../../database/prisma-errors.js';
import { TransactionHost } from '../../database/prisma.service.js';
import { formationUsage } from '../quotas/quota-dimensions.js';
import type { AppRecord } from './models/app.model.js';

const APP_INCLUDE = { team: { select: { id: true, name: true } } } as const;

@Injectable()
export class AppsRepository {
  constructor(private readonly tx: TransactionHost) {}

  /** `teamIds` undefined means every team; otherwise the app must belong to one of them. */
  async findByRef(ref: string, teamIds: string[] | undefined): Promise<AppRecord | null> {
    return this.tx.db.app.findFirst({ where: whereRef(ref, [teamIds ? { teamId: { in: teamIds } } : undefined]), include: APP_INCLUDE });
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
