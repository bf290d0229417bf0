// Per-request DataLoaders for nested fields (an app's environments, an environment's latest release):
// one query per field per request, whatever the number of parents, read through the features'
// repositories. Parents were already authorised by the service that returned them; every query
// still names their team.
import DataLoader from 'dataloader';
import { Injectable } from '@nestjs/common';
import { EnvironmentsRepository } from '../../modules/environments/environments.repository.js';
import { toEnvironmentModel, type EnvironmentModel } from '../../modules/environments/models/environment.model.js';
import { toReleaseModel, type ReleaseModel } from '../../modules/releases/models/release.model.js';
import { ReleasesRepository } from '../../modules/releases/releases.repository.js';

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
  constructor(
    private readonly environmentRecords: EnvironmentsRepository,
    private readonly releaseRecords: ReleasesRepository,
  ) {}

  create(): Loaders {
    return {
      environmentsByApp: new DataLoader((keys) => this.environments(keys), { cacheKeyFn: (k) => k.id }),
      latestRelease: new DataLoader((keys) => this.releases(keys), { cacheKeyFn: (k) => `${k.environmentId}:${k.number}` }),
    };
  }

  private async environments(keys: readonly ParentKey[]): Promise<EnvironmentModel[][]> {
    const rows = await this.environmentRecords.listByApps(keys.map((k) => ({ teamId: k.teamId, appId: k.id })));
    return keys.map((k) => rows.filter((r) => r.appId === k.id && r.teamId === k.teamId).map(toEnvironmentModel));
  }

  private async releases(keys: readonly LatestReleaseKey[]): Promise<Array<ReleaseModel | null>> {
    const rows = await this.releaseRecords.findByNumbers(keys);
    const creators = await this.releaseRecords.creators([...new Set(rows.flatMap((r) => (r.createdById ? [r.createdById] : [])))]);
    return keys.map((k) => {
      const row = rows.find((r) => r.environmentId === k.environmentId && r.number === k.number);
      return row ? toReleaseModel(row, creators) : null;
    });
  }
}
