import { Injectable } from '@nestjs/common';
import { keyset, type PageRequest } from '../../common/pagination/pagination.js';
import { whereRef } from '../../common/validation/refs.js';
import { uniquely } from '../../database/prisma-errors.js';
import { TransactionHost } from '../../database/prisma.service.js';
import { formationUsage } from '../quotas/quota-dimensions.js';
import type { EnvironmentRecord } from './models/environment.model.js';

/** How pods run and when a release counts as failed (docs/releases.md). */
export interface RolloutSettings {
  securityProfile?: string;
  failureRestartThreshold?: number;
  progressDeadlineSeconds?: number;
}

const ENV_INCLUDE = { app: { select: { id: true, name: true, state: true, team: { select: { id: true, name: true } } } }, cluster: { select: { id: true, name: true } } } as const;

@Injectable()
export class EnvironmentsRepository {
  constructor(private readonly tx: TransactionHost) {}

  async findByRef(teamId: string, appId: string, ref: string): Promise<EnvironmentRecord | null> {
    return this.tx.db.environment.findFirst({ where: whereRef(ref, [{ teamId, appId }]), include: ENV_INCLUDE });
  }

  async findById(teamId: string, id: string): Promise<EnvironmentRecord | null> {
    return this.tx.db.environment.findFirst({ where: { id, teamId }, include: ENV_INCLUDE });
  }

  async list(teamId: string, appId: string, page: PageRequest<string>): Promise<EnvironmentRecord[]> {
    const k = keyset(page);
    return this.tx.db.environment.findMany({
      where: { teamId, appId, ...(k.range ? { id: k.range } : {}) },
      orderBy: { id: k.order },
      take: k.take,
      include: ENV_INCLUDE,
    });
  }

  async count(teamId: string, appId: string): Promise<number> {
    return this.tx.db.environment.count({ where: { teamId, appId } });
  }

  /** Environments by id, only within `teamIds`. */
  async findManyByIds(teamIds: string[], ids: string[]): Promise<EnvironmentRecord[]> {
    return this.tx.db.environment.findMany({ where: { teamId: { in: teamIds }, id: { in: ids } }, include: ENV_INCLUDE });
  }

  /** Every environment placed on these clusters, in id order (platform admins: no tenant). */
  async listByClusters(clusterIds: string[]): Promise<EnvironmentRecord[]> {
    return this.tx.db.environment.findMany({ where: { clusterId: { in: clusterIds } }, orderBy: { id: 'asc' }, include: ENV_INCLUDE });
  }

  async create(data: { teamId: string; appId: string; name: string; production: boolean; autoRollback: boolean; clusterId: string | null; clusterSelector: Record<string, string> | null } & RolloutSettings): Promise<EnvironmentRecord> {
    const { clusterSelector, ...rest } = data;
    return uniquely(
      () => this.tx.db.environment.create({ data: { ...rest, ...(clusterSelector ? { clusterSelector } : {}) }, include: ENV_INCLUDE }),
      'environment',
      'name',
      data.name,
    );
  }

  /** Deletion is asynchronous: the record stays, marked, until the cluster confirms the namespace is gone. */
  async markDeleting(teamId: string, id: string): Promise<EnvironmentRecord | null> {
    const result = await this.tx.db.environment.updateMany({ where: { id, teamId }, data: { state: 'deleting', version: { increment: 1 } } });
    return result.count ? this.findById(teamId, id) : null;
  }

  /** Updates only from `expectedVersion` when given; null when the environment moved on. */
  async update(teamId: string, id: string, data: { production?: boolean; autoRollback?: boolean } & RolloutSettings, expectedVersion?: number): Promise<EnvironmentRecord | null> {
    const where = { id, teamId, ...(expectedVersion !== undefined ? { version: expectedVersion } : {}) };
    const result = await this.tx.db.environment.updateMany({ where, data: { ...data, version: { increment: 1 } } });
    return result.count ? this.findById(teamId, id) : null;
  }

  /** Environments of several apps at once (GraphQL loaders), id-ordered; each key names its team. */
  async listByApps(keys: ReadonlyArray<{ teamId: string; appId: string }>): Promise<EnvironmentRecord[]> {
    return this.tx.db.environment.findMany({
      where: { teamId: { in: [...new Set(keys.map((k) => k.teamId))] }, appId: { in: keys.map((k) => k.appId) } },
      orderBy: { id: 'asc' },
      include: ENV_INCLUDE,
    });
  }

  /** The app of an environment, by its id alone (node(id:) then authorises through the service). */
  async locate(id: string): Promise<{ appId: string } | null> {
    return this.tx.db.environment.findUnique({ where: { id }, select: { appId: true } });
  }

  /** Moves the version on when something versioned with the environment (its formation) changes. */
  async touch(teamId: string, id: string): Promise<number | null> {
    const rows = await this.tx.db.$queryRaw<Array<{ version: number }>>`
      UPDATE environments SET version = version + 1, updated_at = now() WHERE id = ${id}::uuid AND team_id = ${teamId}::uuid RETURNING version`;
    return rows[0]?.version ?? null;
  }

  /** What the environment's formation holds against its team's CPU and memory quota. */
  async usageOf(teamId: string, id: string): Promise<{ cpuMillis: number; memoryMib: number }> {
    const processes = await this.tx.db.processType.findMany({ where: { teamId, environmentId: id }, select: { replicas: true, size: true, autoscaleMax: true } });
    return formationUsage(processes);
  }

  async delete(teamId: string, id: string): Promise<void> {
    await this.tx.db.environment.delete({ where: { id, teamId } });
  }

  /** Row lock until the enclosing transaction ends; false when the row is gone. */
  async lock(teamId: string, id: string): Promise<boolean> {
    const rows = await this.tx.db.$queryRaw<Array<{ id: string }>>`SELECT id FROM environments WHERE id = ${id}::uuid AND team_id = ${teamId}::uuid FOR UPDATE`;
    return rows.length === 1;
  }

  /**
   * One atomic statement: concurrent callers queue on the row lock and each sees the previous
   * committed value, and a rolled-back transaction gives its number back, so numbers never gap.
   */
  async bumpReleaseCounter(teamId: string, id: string): Promise<{ releaseCounter: number; state: string } | null> {
    const rows = await this.tx.db.$queryRaw<Array<{ release_counter: number; state: string }>>`
      UPDATE environments SET release_counter = release_counter + 1, version = version + 1, updated_at = now()
      WHERE id = ${id}::uuid AND team_id = ${teamId}::uuid
      RETURNING release_counter, state::text AS state`;
    const row = rows[0];
    return row ? { releaseCounter: row.release_counter, state: row.state } : null;
  }

  async saveConfig(teamId: string, id: string, configCiphertext: string, configKeys: string[]): Promise<EnvironmentRecord> {
    return this.tx.db.environment.update({ where: { id, teamId }, data: { configCiphertext, configKeys, version: { increment: 1 } }, include: ENV_INCLUDE });
  }
}
