import { Args, Query, Resolver, Context, Parent, ResolveField } from '@nestjs/graphql';
import { CurrentActor, TeamAccess } from '../../common/auth/access.decorator.js';
import { visibleTeamIds, type Actor } from '../../common/auth/actor.js';
import { DomainError } from '../../common/errors/domain-error.js';
import type { GqlContext } from '../../graphql/context.js';
import { EnvironmentType } from '../environments/models/environment.types.js';
import { toEnvironmentModel } from '../environments/models/environment.model.js';
import { UserType } from '../users/models/user.types.js';
import { toUserModel } from '../users/models/user.model.js';
import type { ReleaseModel } from './models/release.model.js';
import { PageQuery } from '../../common/pagination/pagination.js';
import { InputArg } from '../../graphql/args.js';
import { PayloadMutation } from '../../graphql/mutation-payload.js';
import { pageQuery, toConnection, EnvironmentChildrenArgs } from '../../graphql/pagination/connection.js';
import { ReleaseConnection, ReleaseType } from './models/release.types.js';
import { Audited } from '../audit/audited.decorator.js';
import { CreateReleaseMutationInput } from './dto/release.mutation-input.js';
import { CreateReleasePayload } from './models/release.payloads.js';
import { ReleasesService } from './releases.service.js';
import { APP_REF, ENVIRONMENT_REF } from '../../graphql/refs.js';

// Releases are immutable: deploy and rollback both create one (as POST …/releases does).
@Resolver(() => ReleaseType)
export class ReleasesResolver {
  constructor(private readonly service: ReleasesService) {}

  @Query(() => ReleaseConnection, { description: "An environment's releases, newest first" })
  @TeamAccess('viewer')
  async releases(@CurrentActor() actor: Actor, @Args() { app, environment, ...page }: EnvironmentChildrenArgs) {
    return toConnection(await this.service.list(actor, app, environment, await pageQuery(PageQuery, page)), (r) => r.number, page);
  }

  @Query(() => ReleaseType, { description: 'One release of an environment' })
  @TeamAccess('viewer')
  release(@CurrentActor() actor: Actor, @Args(...APP_REF) app: string, @Args(...ENVIRONMENT_REF) environment: string, @Args('release', { description: 'The release number, e.g. 7 or v7' }) release: string) {
    return this.service.get(actor, app, environment, release);
  }

  @PayloadMutation(CreateReleasePayload, 'Deploy an image (input.image) or roll back to an earlier release (input.rollbackTo); either makes a new release (POST /v1/apps/{app}/environments/{env}/releases)')
  @Audited('release.create', 'release')
  @TeamAccess('developer')
  createRelease(@CurrentActor() actor: Actor, @InputArg() input: CreateReleaseMutationInput) {
    return this.service.create(actor, input.app, input.environment, input);
  }

  /** Who made the release; as a teammate's identity, visible to whoever may read the release. */
  @ResolveField(() => UserType, { nullable: true, description: 'Who made it; null when made by Berth itself (automatic rollback) or the account is gone' })
  async creator(@Parent() release: ReleaseModel, @Context() ctx: GqlContext) {
    const user = release.created_by ? await ctx.loaders.user.load(release.created_by.id) : null;
    return user ? toUserModel(user) : null;
  }

  /** Found within the caller's teams only, so a release is never linked to what its reader may not see. */
  @ResolveField(() => EnvironmentType, { description: 'The environment it was made for' })
  async environment(@Parent() release: ReleaseModel, @Context() ctx: GqlContext, @CurrentActor() actor: Actor) {
    const owner = await ctx.loaders.releaseOwner.load({ teamIds: visibleTeamIds(actor), id: release.id });
    const env = owner ? await ctx.loaders.environment.load({ teamId: owner.teamId, id: owner.environmentId }) : null;
    if (!env) throw DomainError.notFound('environment', release.id);
    return toEnvironmentModel(env);
  }
}
