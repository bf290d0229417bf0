import { Args, ID, Info, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type { GraphQLResolveInfo } from 'graphql';
import { Authenticated, CurrentActor } from '../../common/auth/access.decorator.js';
import type { Actor } from '../../common/auth/actor.js';
import { DomainError } from '../../common/errors/domain-error.js';
import { AppsService } from '../../modules/apps/apps.service.js';
import { ClustersService } from '../../modules/clusters/clusters.service.js';
import { DomainsService } from '../../modules/domains/domains.service.js';
import { EnvironmentsService } from '../../modules/environments/environments.service.js';
import { ReleasesService } from '../../modules/releases/releases.service.js';
import { TeamsService } from '../../modules/teams/teams.service.js';
import { TokensService } from '../../modules/tokens/tokens.service.js';
import { NodeType } from './node.type.js';
import { fromGlobalId, toGlobalId, type NodeTypeName } from './global-id.js';
import { NodeLocator, type NodePath } from './node-locator.js';

function located(path: NodePath | null, id: string): NodePath {
  if (!path) throw DomainError.notFound('node', id);
  return path;
}

@Resolver(() => NodeType)
export class NodeResolver {
  constructor(
    private readonly teams: TeamsService,
    private readonly apps: AppsService,
    private readonly environments: EnvironmentsService,
    private readonly releases: ReleasesService,
    private readonly domains: DomainsService,
    private readonly tokens: TokensService,
    private readonly clusters: ClustersService,
    private readonly locator: NodeLocator,
  ) {}

  /** Authorised exactly like the REST get of the same object: another team's object is NOT_FOUND. */
  @Query(() => NodeType, { nullable: true })
  @Authenticated()
  async node(@CurrentActor() actor: Actor, @Args('id', { type: () => ID }) id: string): Promise<object> {
    const { type, uuid } = fromGlobalId(id);
    return { ...(await this.fetch(actor, type, uuid, id)), __typename: type };
  }

  private async fetch(actor: Actor, type: NodeTypeName, uuid: string, id: string): Promise<object> {
    switch (type) {
      case 'Team':
        return this.teams.get(actor, uuid);
      case 'App':
        return this.apps.get(actor, uuid);
      case 'Token':
        return this.tokens.get(actor, uuid);
      case 'Cluster':
        return this.clusters.get(actor, uuid);
      case 'Environment': {
        const path = located(await this.locator.environment(uuid), id);
        return this.environments.get(actor, path.appId, uuid);
      }
      case 'Release': {
        const path = located(await this.locator.release(uuid), id);
        return this.releases.get(actor, path.appId, path.environmentId!, path.ref!);
      }
      case 'Domain': {
        const path = located(await this.locator.domain(uuid), id);
        return this.domains.get(actor, path.appId, path.environmentId!, path.ref!);
      }
    }
  }

  @ResolveField(() => ID)
  id(@Parent() node: { id: string }, @Info() info: GraphQLResolveInfo): string {
    const type = info.parentType.name === 'CreatedToken' ? 'Token' : (info.parentType.name as NodeTypeName);
    return toGlobalId(type, node.id);
  }

  @ResolveField(() => ID)
  uuid(@Parent() node: { id: string }): string {
    return node.id;
  }
}
