import { Args, ID, Query, Resolver } from '@nestjs/graphql';
import { Authenticated, CurrentActor } from '../../common/auth/access.decorator.js';
import type { Actor } from '../../common/auth/actor.js';
import { DomainError } from '../../common/errors/domain-error.js';
import { encodeCursor, MAX_PAGE_SIZE } from '../../common/pagination/pagination.js';
import { AppsService } from '../../modules/apps/apps.service.js';
import { AuditService } from '../../modules/audit/audit.service.js';
import { AuditQuery } from '../../modules/audit/dto/audit-query.input.js';
import { ClustersService } from '../../modules/clusters/clusters.service.js';
import { DomainsService } from '../../modules/domains/domains.service.js';
import { EnvironmentsService } from '../../modules/environments/environments.service.js';
import { RegistryCredentialsService } from '../../modules/registry-credentials/registry-credentials.service.js';
import { ReleasesService } from '../../modules/releases/releases.service.js';
import { InvitationsService } from '../../modules/teams/invitations.service.js';
import { TeamsService } from '../../modules/teams/teams.service.js';
import { TokensService } from '../../modules/tokens/tokens.service.js';
import { UsersService } from '../../modules/users/users.service.js';
import { pageQuery } from '../pagination/connection.js';
import { NodeType } from './node.type.js';
import { fromGlobalId, type NodeTypeName } from './global-id.js';
import { NodeLocator } from './node-locator.js';

function located<P>(path: P | null, id: string): P {
  if (!path) throw DomainError.notFound('node', id);
  return path;
}

/** An object that is another team's, or gone, is one answer: NOT_FOUND naming the id asked for. */
function notFoundAs(id: string) {
  return (err: unknown): never => {
    if (err instanceof DomainError && err.code === 'not-found') throw DomainError.notFound('node', id);
    throw err;
  };
}

@Resolver(() => NodeType)
export class NodeResolver {
  constructor(
    private readonly teams: TeamsService,
    private readonly invitations: InvitationsService,
    private readonly users: UsersService,
    private readonly apps: AppsService,
    private readonly environments: EnvironmentsService,
    private readonly releases: ReleasesService,
    private readonly domains: DomainsService,
    private readonly tokens: TokensService,
    private readonly clusters: ClustersService,
    private readonly audit: AuditService,
    private readonly registryCredentials: RegistryCredentialsService,
    private readonly locator: NodeLocator,
  ) {}

  /** Authorised exactly like the REST read of the same object: another team's object is NOT_FOUND. */
  @Query(() => NodeType, { nullable: true, description: 'Any object by its global id, if you may read it (NOT_FOUND otherwise, as over REST)' })
  @Authenticated()
  async node(@CurrentActor() actor: Actor, @Args('id', { type: () => ID, description: 'A global id (the id field of any Node)' }) id: string): Promise<object> {
    return this.one(actor, id);
  }

  /**
   * Several objects at once, in the order asked; each one you may not read (or that is gone) is
   * null with a NOT_FOUND error at its index. At most 100 ids (the cost model counts each).
   */
  @Query(() => [NodeType], { nullable: 'items', description: 'Objects by global id, in the order asked (at most 100); each one you may not read is null with a NOT_FOUND error at its index' })
  @Authenticated()
  nodes(@CurrentActor() actor: Actor, @Args('ids', { type: () => [ID], description: 'Global ids (the id field of any Node)' }) ids: string[]): Array<Promise<object>> {
    if (ids.length > MAX_PAGE_SIZE) throw DomainError.invalid('ids', `at most ${MAX_PAGE_SIZE} ids at once (got ${ids.length})`);
    return ids.map((id) => {
      const found = this.one(actor, id);
      // GraphQL reads each item's rejection as that item's error, a few ticks later; until then the
      // rejection must not count as unhandled (which would end the process).
      found.catch(() => undefined);
      return found;
    });
  }

  private async one(actor: Actor, id: string): Promise<object> {
    const { type, uuid } = fromGlobalId(id);
    const found = (await this.fetch(actor, type, uuid, id).catch(notFoundAs(id))) as object;
    return Object.assign(found, { __typename: type });
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
      case 'User':
        return this.users.get(actor, uuid);
      case 'Invitation':
        return this.invitations.get(actor, uuid);
      case 'Member': {
        const path = located(await this.locator.member(uuid), id);
        return this.teams.getMember(actor, path.teamId, path.ref);
      }
      case 'RegistryCredential': {
        const path = located(await this.locator.registryCredential(uuid), id);
        const credential = (await this.registryCredentials.list(actor, path.teamId)).find((c) => c.id === uuid);
        return located(credential ?? null, id);
      }
      case 'AuditEvent': {
        // The REST list's rules (team admins see their teams' events, platform admins all).
        const page = await this.audit.list(actor, await pageQuery(AuditQuery, { first: 1, after: encodeCursor((BigInt(uuid) - 1n).toString()) }));
        return located(page.items.find((e) => e.seq === uuid) ?? null, id);
      }
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
}
