// Per-request DataLoaders for the links between objects (team ↔ apps ↔ environments ↔ releases ↔
// clusters, creators): one query per link per request, whatever the number of parents, read through
// the features' repositories. Parents were already authorised by the service that returned them
// (or by their own parent link); every query still names the tenant: the team ids the keys carry.
import DataLoader from 'dataloader';
import { Injectable } from '@nestjs/common';
import { AppsRepository } from '../../modules/apps/apps.repository.js';
import type { AppRecord } from '../../modules/apps/models/app.model.js';
import { ClustersRepository, type ClusterRecord } from '../../modules/clusters/clusters.repository.js';
import { DomainsRepository } from '../../modules/domains/domains.repository.js';
import type { DomainRecord } from '../../modules/domains/models/domain.model.js';
import { EnvironmentsRepository } from '../../modules/environments/environments.repository.js';
import type { EnvironmentRecord } from '../../modules/environments/models/environment.model.js';
import { toReleaseModel, type ReleaseModel, type ReleaseRecord } from '../../modules/releases/models/release.model.js';
import { ReleasesRepository } from '../../modules/releases/releases.repository.js';
import type { TeamRecord } from '../../modules/teams/models/team.model.js';
import { TeamsRepository } from '../../modules/teams/teams.repository.js';
import { toPage, type Page, type PageRequest } from '../../common/pagination/pagination.js';
import type { UserRecord } from '../../modules/users/models/user.model.js';
import { UsersRepository } from '../../modules/users/users.repository.js';

/** An object of a team: the team id is part of every key, so every query names the tenant. */
export interface OwnedKey {
  teamId: string;
  id: string;
}

export interface ReleaseKey {
  teamId: string;
  environmentId: string;
  number: number;
}

export interface EnvironmentKey {
  teamId: string;
  environmentId: string;
}

export interface Loaders {
  team: DataLoader<string, TeamRecord | null, string>;
  app: DataLoader<OwnedKey, AppRecord | null, string>;
  environment: DataLoader<OwnedKey, EnvironmentRecord | null, string>;
  /** Platform-wide objects: who may see them is decided by the field that links to them. */
  cluster: DataLoader<string, ClusterRecord | null, string>;
  user: DataLoader<string, UserRecord | null, string>;
  /** Every app of a team (key: team id), id order. */
  appsByTeam: DataLoader<string, AppRecord[], string>;
  /** Every environment of an app, id order. */
  environmentsByApp: DataLoader<OwnedKey, EnvironmentRecord[], string>;
  /** Every environment placed on a cluster (key: cluster id), id order; platform admins only. */
  environmentsByCluster: DataLoader<string, EnvironmentRecord[], string>;
  release: DataLoader<ReleaseKey, ReleaseModel | null, string>;
  /** The newest succeeded release of an environment. */
  currentRelease: DataLoader<EnvironmentKey, ReleaseModel | null, string>;
  /** Every domain of an environment, id order. */
  domainsByEnvironment: DataLoader<EnvironmentKey, DomainRecord[], string>;
  /** One page of an environment's releases (newest first); keys with the same page read together. */
  releasesByEnvironment: DataLoader<EnvironmentKey & { page: PageRequest<number> }, Page<ReleaseModel>, string>;
  /** How many releases an environment has. */
  releaseCount: DataLoader<EnvironmentKey, number, string>;
  /** Team and environment of a release, within the teams the caller may see (undefined: all). */
  releaseOwner: DataLoader<{ teamIds: string[] | undefined; id: string }, { teamId: string; environmentId: string } | null, string>;
}

function byId<R extends { id: string }>(rows: R[]): Map<string, R> {
  return new Map(rows.map((r) => [r.id, r]));
}

const distinct = (values: readonly string[]) => [...new Set(values)];

const owned = (cache: boolean) => ({ cache, cacheKeyFn: (k: OwnedKey) => `${k.teamId}:${k.id}` });

const pageKey = (page: PageRequest<number>) => JSON.stringify([page.limit, page.after ?? null, page.before ?? null, page.backward === true]);

@Injectable()
export class LoadersFactory {
  constructor(
    private readonly teams: TeamsRepository,
    private readonly apps: AppsRepository,
    private readonly environments: EnvironmentsRepository,
    private readonly releases: ReleasesRepository,
    private readonly clusters: ClustersRepository,
    private readonly users: UsersRepository,
    private readonly domains: DomainsRepository,
  ) {}

  /**
   * `cache: false` for graphql-ws: a subscription keeps one context for all its events, and each
   * event must see the objects as they are then (loads still batch within an event).
   * Each loader is made when a resolver first uses it: most operations use one or two of them, and
   * making all of them for every request showed in the profile of row 3 (docs/performance.md).
   */
  create({ cache = true }: { cache?: boolean } = {}): Loaders {
    return Object.create(cache ? this.cached : this.uncached) as Loaders;
  }

  /** A prototype whose getters make a loader on first use and keep it on the request's own object. */
  private lazyLoaders(cache: boolean): object {
    const proto = {};
    const factories = this.make;
    for (const name of Object.keys(this.make) as Array<keyof Loaders>) {
      Object.defineProperty(proto, name, {
        get(this: Record<string, unknown>) {
          const loader = factories[name](cache);
          Object.defineProperty(this, name, { value: loader, enumerable: true });
          return loader;
        },
      });
    }
    return proto;
  }

  private readonly make: { [K in keyof Loaders]: (cache: boolean) => Loaders[K] } = {
    team: (cache) =>
      new DataLoader(async (ids) => {
        const rows = byId(await this.teams.findManyByIds(undefined, distinct(ids)));
        return ids.map((id) => rows.get(id) ?? null);
      }, { cache }),
    app: (cache) =>
      new DataLoader(async (keys) => {
        const rows = await this.apps.findManyByIds(distinct(keys.map((k) => k.teamId)), distinct(keys.map((k) => k.id)));
        return keys.map((k) => rows.find((r) => r.id === k.id && r.teamId === k.teamId) ?? null);
      }, owned(cache)),
    environment: (cache) =>
      new DataLoader(async (keys) => {
        const rows = await this.environments.findManyByIds(distinct(keys.map((k) => k.teamId)), distinct(keys.map((k) => k.id)));
        return keys.map((k) => rows.find((r) => r.id === k.id && r.teamId === k.teamId) ?? null);
      }, owned(cache)),
    cluster: (cache) =>
      new DataLoader(async (ids) => {
        const rows = byId(await this.clusters.findManyByIds(distinct(ids)));
        return ids.map((id) => rows.get(id) ?? null);
      }, { cache }),
    user: (cache) =>
      new DataLoader(async (ids) => {
        const rows = byId(await this.users.findManyByIds(distinct(ids)));
        return ids.map((id) => rows.get(id) ?? null);
      }, { cache }),
    appsByTeam: (cache) =>
      new DataLoader(async (teamIds) => {
        const rows = await this.apps.listByTeams(distinct(teamIds));
        return teamIds.map((teamId) => rows.filter((r) => r.teamId === teamId));
      }, { cache }),
    environmentsByApp: (cache) =>
      new DataLoader(async (keys) => {
        const rows = await this.environments.listByApps(keys.map((k) => ({ teamId: k.teamId, appId: k.id })));
        return keys.map((k) => rows.filter((r) => r.appId === k.id && r.teamId === k.teamId));
      }, owned(cache)),
    environmentsByCluster: (cache) =>
      new DataLoader(async (clusterIds) => {
        const rows = await this.environments.listByClusters(distinct(clusterIds));
        return clusterIds.map((id) => rows.filter((r) => r.cluster?.id === id));
      }, { cache }),
    release: (cache) =>
      new DataLoader((keys) => this.releasesByNumber(keys), { cache, cacheKeyFn: (k) => `${k.teamId}:${k.environmentId}:${k.number}` }),
    currentRelease: (cache) =>
      new DataLoader(
        async (keys) => {
          const newest = await this.releases.newestSucceeded(keys);
          const wanted = keys.flatMap((k) => {
            const found = newest.find((n) => n.environmentId === k.environmentId);
            return found ? [{ teamId: k.teamId, environmentId: k.environmentId, number: found.number }] : [];
          });
          const models = await this.releasesByNumber(wanted);
          return keys.map((k) => models[wanted.findIndex((w) => w.environmentId === k.environmentId)] ?? null);
        },
        { cache, cacheKeyFn: (k) => `${k.teamId}:${k.environmentId}` },
      ),
    releasesByEnvironment: (cache) =>
      new DataLoader(
        async (keys) => {
          const groups = new Map<string, Array<EnvironmentKey & { page: PageRequest<number> }>>();
          for (const k of keys) groups.set(pageKey(k.page), [...(groups.get(pageKey(k.page)) ?? []), k]);
          const pages = new Map<string, ReleaseRecord[]>();
          for (const group of groups.values()) {
            const rows = await this.releases.pagesByEnvironment(group, group[0]!.page);
            for (const k of group) pages.set(`${k.environmentId}:${pageKey(k.page)}`, rows.filter((r) => r.environmentId === k.environmentId && r.teamId === k.teamId));
          }
          const all = [...pages.values()].flat();
          const creators = await this.releases.creators(distinct(all.flatMap((r) => (r.createdById ? [r.createdById] : []))));
          return keys.map((k) => toPage(pages.get(`${k.environmentId}:${pageKey(k.page)}`) ?? [], k.page, (r) => r.number, (r) => toReleaseModel(r, creators)));
        },
        { cache, cacheKeyFn: (k) => `${k.teamId}:${k.environmentId}:${pageKey(k.page)}` },
      ),
    domainsByEnvironment: (cache) =>
      new DataLoader(
        async (keys) => {
          const rows = await this.domains.listByEnvironments(keys);
          return keys.map((k) => rows.filter((r) => r.environmentId === k.environmentId && r.teamId === k.teamId));
        },
        { cache, cacheKeyFn: (k) => `${k.teamId}:${k.environmentId}` },
      ),
    releaseCount: (cache) =>
      new DataLoader(
        async (keys) => {
          const counts = await this.releases.countsByEnvironment(keys);
          return keys.map((k) => counts.get(k.environmentId) ?? 0);
        },
        { cache, cacheKeyFn: (k) => `${k.teamId}:${k.environmentId}` },
      ),
    releaseOwner: (cache) =>
      new DataLoader(
        async (keys) => {
          // One query per distinct tenant scope; within a request that is the caller's, so one.
          const scopes = new Map<string, { teamIds: string[] | undefined; ids: string[] }>();
          for (const k of keys) {
            const scope = k.teamIds ? k.teamIds.join(',') : '*';
            const entry = scopes.get(scope) ?? { teamIds: k.teamIds, ids: [] };
            entry.ids.push(k.id);
            scopes.set(scope, entry);
          }
          const rows = (await Promise.all([...scopes.values()].map((s) => this.releases.ownersOf(s.teamIds, distinct(s.ids))))).flat();
          return keys.map((k) => {
            const row = rows.find((r) => r.id === k.id && (!k.teamIds || k.teamIds.includes(r.teamId)));
            return row ? { teamId: row.teamId, environmentId: row.environmentId } : null;
          });
        },
        { cache, cacheKeyFn: (k) => `${k.teamIds?.join(',') ?? '*'}:${k.id}` },
      ),
  };

  // After `make`: field initialisers run in order.
  private readonly cached = this.lazyLoaders(true);
  private readonly uncached = this.lazyLoaders(false);

  private async releasesByNumber(keys: readonly ReleaseKey[]): Promise<Array<ReleaseModel | null>> {
    const rows: ReleaseRecord[] = await this.releases.findByNumbers(keys);
    const creators = await this.releases.creators(distinct(rows.flatMap((r) => (r.createdById ? [r.createdById] : []))));
    return keys.map((k) => {
      const row = rows.find((r) => r.teamId === k.teamId && r.environmentId === k.environmentId && r.number === k.number);
      return row ? toReleaseModel(row, creators) : null;
    });
  }
}
