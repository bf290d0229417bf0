import { Injectable } from '@nestjs/common';
import type { Prisma } from '../../generated/prisma/client.js';
import { keyset, type PageRequest } from '../../common/pagination/pagination.js';
import { TransactionHost } from '../../database/prisma.service.js';
import { CHANNELS, notify } from '../../graphql/pubsub/pg-pubsub.js';
import type { ReleaseCreator, ReleaseRecord } from './models/release.model.js';
import { QUEUED, supersededStatus } from './release-phase.js';

export interface NewRelease {
  id: string;
  teamId: string;
  environmentId: string;
  number: number;
  image: string;
  imageDigest: string | null;
  configCiphertext: string;
  configKeys: string[];
  formation: ReadonlyArray<object>;
  description: string;
  rollbackOf: number | null;
  createdById: string | null;
}

@Injectable()
export class ReleasesRepository {
  constructor(private readonly tx: TransactionHost) {}

  async create(data: NewRelease): Promise<ReleaseRecord> {
    // The snapshot objects are plain JSON made by FormationService.snapshot().
    return this.tx.db.release.create({ data: { ...data, formation: data.formation as Prisma.InputJsonArray, phase: QUEUED.phase, reason: QUEUED.reason, message: QUEUED.message } });
  }

  /**
   * Releases older than `number` that had not finished settle as superseded by it (in the new
   * release's transaction): nobody is converging to them any more. Listeners hear each one.
   */
  async supersedeBefore(teamId: string, environmentId: string, number: number): Promise<number> {
    const status = supersededStatus(number);
    const rows = await this.tx.db.$queryRaw<Array<{ id: string; number: number }>>`
      UPDATE releases SET phase = ${status.phase}, reason = ${status.reason}, message = ${status.message}, superseded_by = ${number}::int, phase_updated_at = now()
      WHERE team_id = ${teamId}::uuid AND environment_id = ${environmentId}::uuid AND number < ${number}::int
        AND phase NOT IN ('succeeded', 'failed', 'superseded')
      RETURNING id, number`;
    for (const row of rows) {
      await notify(this.tx.db, CHANNELS.releaseStatus, { team_id: teamId, environment_id: environmentId, release_id: row.id, number: row.number });
    }
    return rows.length;
  }

  async findByNumber(teamId: string, environmentId: string, number: number): Promise<ReleaseRecord | null> {
    return this.tx.db.release.findFirst({ where: { teamId, environmentId, number } });
  }

  /** Several releases at once (GraphQL loaders); each key names its team. */
  async findByNumbers(keys: ReadonlyArray<{ teamId: string; environmentId: string; number: number }>): Promise<ReleaseRecord[]> {
    if (!keys.length) return [];
    return this.tx.db.release.findMany({ where: { OR: keys.map((k) => ({ teamId: k.teamId, environmentId: k.environmentId, number: k.number })) } });
  }

  /**
   * One page of releases (newest first, keyset like `list`) for each of several environments, in
   * two queries whatever their number: a window function picks each environment's rows, then they
   * are read by id. Rows come as `list` returns them (nearest first when paging backward).
   */
  async pagesByEnvironment(keys: ReadonlyArray<{ teamId: string; environmentId: string }>, page: PageRequest<number>): Promise<ReleaseRecord[]> {
    if (!keys.length) return [];
    const k = keyset(page, 'desc');
    const teamIds = [...new Set(keys.map((key) => key.teamId))];
    const environmentIds = [...new Set(keys.map((key) => key.environmentId))];
    const after = page.after ?? null;
    const before = page.before ?? null;
    const ranked = await this.tx.db.$queryRaw<Array<{ id: string }>>`
      SELECT id FROM (
        SELECT id, row_number() OVER (PARTITION BY environment_id ORDER BY CASE WHEN ${k.order === 'desc'} THEN -number ELSE number END) AS rn
        FROM releases
        WHERE team_id = ANY(${teamIds}::uuid[]) AND environment_id = ANY(${environmentIds}::uuid[])
          AND (${after}::int IS NULL OR number < ${after}::int) AND (${before}::int IS NULL OR number > ${before}::int)
      ) ranked
      WHERE rn <= ${k.take}`;
    const rows = await this.tx.db.release.findMany({ where: { id: { in: ranked.map((r) => r.id) } }, orderBy: { number: k.order } });
    return rows.filter((r) => keys.some((key) => key.teamId === r.teamId && key.environmentId === r.environmentId));
  }

  /** How many releases each environment has (environments without any are absent). */
  async countsByEnvironment(keys: ReadonlyArray<{ teamId: string; environmentId: string }>): Promise<Map<string, number>> {
    if (!keys.length) return new Map();
    const groups = await this.tx.db.release.groupBy({ by: ['environmentId'], where: { OR: keys.map((key) => ({ teamId: key.teamId, environmentId: key.environmentId })) }, _count: { _all: true } });
    return new Map(groups.map((g) => [g.environmentId, g._count._all]));
  }

  /** Which team and environment each release belongs to, only within `teamIds` (undefined: platform admins). */
  async ownersOf(teamIds: string[] | undefined, ids: string[]): Promise<Array<{ id: string; teamId: string; environmentId: string }>> {
    return this.tx.db.release.findMany({ where: { id: { in: ids }, ...(teamIds ? { teamId: { in: teamIds } } : {}) }, select: { id: true, teamId: true, environmentId: true } });
  }

  /** Where a release sits, by its id alone (node(id:) then authorises through the service). */
  async locate(id: string): Promise<{ appId: string; environmentId: string; number: number } | null> {
    const release = await this.tx.db.release.findUnique({ where: { id }, select: { number: true, environmentId: true, environment: { select: { appId: true } } } });
    return release ? { appId: release.environment.appId, environmentId: release.environmentId, number: release.number } : null;
  }

  async findLatest(teamId: string, environmentId: string): Promise<ReleaseRecord | null> {
    return this.tx.db.release.findFirst({ where: { teamId, environmentId }, orderBy: { number: 'desc' } });
  }

  /** Newest first; the cursor is the last number seen. */
  /** Newest first. */
  async list(teamId: string, environmentId: string, page: PageRequest<number>): Promise<ReleaseRecord[]> {
    const k = keyset(page, 'desc');
    return this.tx.db.release.findMany({
      where: { teamId, environmentId, ...(k.range ? { number: k.range } : {}) },
      orderBy: { number: k.order },
      take: k.take,
    });
  }

  async count(teamId: string, environmentId: string): Promise<number> {
    return this.tx.db.release.count({ where: { teamId, environmentId } });
  }

  /** The number of each environment's newest succeeded release (environments without one are absent). */
  async newestSucceeded(keys: ReadonlyArray<{ teamId: string; environmentId: string }>): Promise<Array<{ environmentId: string; number: number }>> {
    if (!keys.length) return [];
    const groups = await this.tx.db.release.groupBy({
      by: ['environmentId'],
      where: { OR: keys.map((k) => ({ teamId: k.teamId, environmentId: k.environmentId })), phase: 'succeeded' },
      _max: { number: true },
    });
    return groups.flatMap((g) => (g._max.number === null ? [] : [{ environmentId: g.environmentId, number: g._max.number }]));
  }

  async deleteUpTo(teamId: string, environmentId: string, number: number): Promise<void> {
    if (number < 1) return;
    await this.tx.db.release.deleteMany({ where: { teamId, environmentId, number: { lte: number } } });
  }

  async creators(userIds: string[]): Promise<Map<string, ReleaseCreator>> {
    if (userIds.length === 0) return new Map();
    const users = await this.tx.db.user.findMany({ where: { id: { in: [...new Set(userIds)] } }, select: { id: true, email: true } });
    return new Map(users.map((u) => [u.id, u]));
  }
}
