import { Args, Context, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { CurrentActor, TeamAccess } from '../../common/auth/access.decorator.js';
import type { Actor } from '../../common/auth/actor.js';
import { PageQuery } from '../../common/pagination/pagination.js';
import { EXPECTED_VERSION_ARG, IDEMPOTENCY_KEY_ARG } from '../../graphql/args.js';
import type { GqlContext } from '../../graphql/context.js';
import { AFTER_ARG, FIRST_ARG, pageQuery, toConnection } from '../../graphql/pagination/connection.js';
import { EnvironmentConnection, EnvironmentType } from '../apps/models/app.types.js';
import { ReleaseType } from '../releases/models/release.types.js';
import { Audited } from '../audit/audited.decorator.js';
import { CreateEnvironmentInput, UpdateEnvironmentInput } from './dto/environment.input.js';
import { EnvironmentsService } from './environments.service.js';
import type { EnvironmentModel } from './models/environment.model.js';

@Resolver(() => EnvironmentType)
export class EnvironmentsResolver {
  constructor(private readonly service: EnvironmentsService) {}

  @Query(() => EnvironmentConnection)
  @TeamAccess('viewer')
  async environments(@CurrentActor() actor: Actor, @Args('app') app: string, @Args('first', FIRST_ARG) first?: number, @Args('after', AFTER_ARG) after?: string) {
    return toConnection(await this.service.list(actor, app, await pageQuery(PageQuery, first, after)), (e) => e.id, after);
  }

  @Query(() => EnvironmentType)
  @TeamAccess('viewer')
  environment(@CurrentActor() actor: Actor, @Args('app') app: string, @Args('environment') environment: string) {
    return this.service.get(actor, app, environment);
  }

  @Mutation(() => EnvironmentType)
  @Audited('environment.create', 'environment')
  @TeamAccess('developer')
  createEnvironment(@CurrentActor() actor: Actor, @Args('app') app: string, @Args('input') input: CreateEnvironmentInput, @Args(...IDEMPOTENCY_KEY_ARG) _key?: string) {
    return this.service.create(actor, app, input);
  }

  @Mutation(() => EnvironmentType, { description: 'expectedVersion honoured (like If-Match on PATCH)' })
  @Audited('environment.update', 'environment')
  @TeamAccess('developer')
  updateEnvironment(@CurrentActor() actor: Actor, @Args('app') app: string, @Args('environment') environment: string, @Args('input') input: UpdateEnvironmentInput, @Args(...EXPECTED_VERSION_ARG) expectedVersion?: number, @Args(...IDEMPOTENCY_KEY_ARG) _key?: string) {
    return this.service.update(actor, app, environment, input, expectedVersion ?? undefined);
  }

  @Mutation(() => EnvironmentType, { description: 'Deletion is asynchronous: the environment is marked deleting' })
  @Audited('environment.delete', 'environment')
  @TeamAccess('admin')
  deleteEnvironment(@CurrentActor() actor: Actor, @Args('app') app: string, @Args('environment') environment: string, @Args(...IDEMPOTENCY_KEY_ARG) _key?: string) {
    return this.service.delete(actor, app, environment);
  }

  /** Batched across all environments of the request (one query). */
  @ResolveField(() => ReleaseType, { nullable: true, description: 'The newest release; null before the first deploy' })
  latestRelease(@Parent() env: EnvironmentModel, @Context() ctx: GqlContext) {
    return env.current_release === null ? null : ctx.loaders.latestRelease.load({ teamId: env.team.id, environmentId: env.id, number: env.current_release });
  }
}
