import { Args, Context, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { CurrentActor, TeamAccess } from '../../common/auth/access.decorator.js';
import type { Actor } from '../../common/auth/actor.js';
import { PageQuery } from '../../common/pagination/pagination.js';
import { InputArg } from '../../graphql/args.js';
import { PayloadMutation } from '../../graphql/mutation-payload.js';
import type { GqlContext } from '../../graphql/context.js';
import { AFTER_ARG, FIRST_ARG, pageQuery, toConnection } from '../../graphql/pagination/connection.js';
import { EnvironmentConnection, EnvironmentType } from '../apps/models/app.types.js';
import { ReleaseType } from '../releases/models/release.types.js';
import { Audited } from '../audit/audited.decorator.js';
import { CreateEnvironmentMutationInput, DeleteEnvironmentInput, UpdateEnvironmentMutationInput } from './dto/environment.mutation-input.js';
import { CreateEnvironmentPayload, DeleteEnvironmentPayload, UpdateEnvironmentPayload } from './models/environment.payloads.js';
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

  @PayloadMutation(CreateEnvironmentPayload, 'Create an environment of an app and place it on a cluster (POST /v1/apps/{app}/environments)')
  @Audited('environment.create', 'environment')
  @TeamAccess('developer')
  createEnvironment(@CurrentActor() actor: Actor, @InputArg() input: CreateEnvironmentMutationInput) {
    return this.service.create(actor, input.app, input);
  }

  @PayloadMutation(UpdateEnvironmentPayload, "Change an environment's settings; expectedVersion honoured like If-Match (PATCH /v1/apps/{app}/environments/{env})")
  @Audited('environment.update', 'environment')
  @TeamAccess('developer')
  updateEnvironment(@CurrentActor() actor: Actor, @InputArg() input: UpdateEnvironmentMutationInput) {
    return this.service.update(actor, input.app, input.environment, input, input.expectedVersion ?? undefined);
  }

  @PayloadMutation(DeleteEnvironmentPayload, 'Delete an environment; asynchronous: it is marked deleting while its namespace is removed (DELETE /v1/apps/{app}/environments/{env})')
  @Audited('environment.delete', 'environment')
  @TeamAccess('admin')
  deleteEnvironment(@CurrentActor() actor: Actor, @InputArg() input: DeleteEnvironmentInput) {
    return this.service.delete(actor, input.app, input.environment);
  }

  /** Batched across all environments of the request (one query). */
  @ResolveField(() => ReleaseType, { nullable: true, description: 'The newest release; null before the first deploy' })
  latestRelease(@Parent() env: EnvironmentModel, @Context() ctx: GqlContext) {
    return env.current_release === null ? null : ctx.loaders.latestRelease.load({ teamId: env.team.id, environmentId: env.id, number: env.current_release });
  }
}
