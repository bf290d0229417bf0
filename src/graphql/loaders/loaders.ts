// Per-request DataLoaders for nested fields (an app's environments, an environment's latest release):
// one SQL query per field per request, whatever the number of parents. Parents were already
// authorised by the service that returned them; every query still names their team.
import DataLoader from 'dataloader';
import { Injectable } from '@nestjs/common';
import { TransactionHost } from '../../database/prisma.service.js';
import { toEnvironmentModel, type EnvironmentModel } from '../../modules/environments/models/environment.model.js';
import { toReleaseModel, type ReleaseModel, type ReleaseRecord } from '../../modules/releases/models/release.model.js';

const ENV_INCLUDE = { app: { select: { id: true, name: true, state: true, team: { select: { id: true, name: true } } } }, cluster: { select: { id: true, name: true } } } as const;

export interface ParentKey {
  teamId: string;
  id: string;
}

export interface LatestReleaseKey {
  teamId: string;
  environmentId: string;
  number: number;
}

export interface Loaders {
  environmentsByApp: DataLoader<ParentKey, EnvironmentModel[], string>;
  latestRelease: DataLoader<LatestReleaseKey, ReleaseModel | null, string>;
}

@Injectable()
export class LoadersFactory {
  constructor(private readonly tx: TransactionHost) {}

  create(): Loaders {
    return {
      environmentsByApp: new DataLoader((keys) => this.environments(keys), { cacheKeyFn: (k) => k.id }),
      latestRelease: new DataLoader((keys) => this.releases(keys), { cacheKeyFn: (k) => `${k.environmentId}:${k.number}` }),
    };
  }

  private async environments(keys: readonly ParentKey[]): Promise<EnvironmentModel[][]> {
    const rows = await this.tx.db.environment.findMany({
      where: { teamId: { in: [...new Set(keys.map((k) => k.teamId))] }, appId: { in: keys.map((k) => k.id) } },
      orderBy: { id: 'asc' },
      include: ENV_INCLUDE,
    });
    return keys.map((k) => rows.filter((r) => r.appId === k.id && r.teamId === k.teamId).map(toEnvironmentModel));
  }

  private async releases(keys: readonly LatestReleaseKey[]): Promise<Array<ReleaseModel | null>> {
    const rows: ReleaseRecord[] = await this.tx.db.release.findMany({ where: { OR: keys.map((k) => ({ teamId: k.teamId, environmentId: k.environmentId, number: k.number })) } });
    const creatorIds = [...new Set(rows.flatMap((r) => (r.createdById ? [r.createdById] : [])))];
    const users = creatorIds.length ? await this.tx.db.user.findMany({ where: { id: { in: creatorIds } }, select: { id: true, email: true } }) : [];
    const creators = new Map(users.map((u) => [u.id, u]));
    return keys.map((k) => {
      const row = rows.find((r) => r.environmentId === k.environmentId && r.number === k.number);
      return row ? toReleaseModel(row, creators) : null;
    });
  }
}
