import { Args, Context, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Authenticated, CurrentActor, TeamAccess } from '../../common/auth/access.decorator.js';
import type { Actor } from '../../common/auth/actor.js';
import { InputArg } from '../../graphql/args.js';
import { PayloadMutation } from '../../graphql/mutation-payload.js';
import type { GqlContext } from '../../graphql/context.js';
import { AFTER_ARG, FIRST_ARG, pageQuery, sliceConnection, toConnection } from '../../graphql/pagination/connection.js';
import { AppConnection, AppType, EnvironmentConnection } from './models/app.types.js';
import { Audited } from '../audit/audited.decorator.js';
import { AppsService } from './apps.service.js';
import { CreateAppMutationInput, DeleteAppMutationInput, UpdateAppMutationInput } from './dto/app.mutation-input.js';
import { CreateAppPayload, DeleteAppPayload, UpdateAppPayload } from './models/app.payloads.js';
import { ListAppsPageQuery } from './dto/list-apps.query.js';
import type { AppModel } from './models/app.model.js';

@Resolver(() => AppType)
export class AppsResolver {
  constructor(private readonly service: AppsService) {}

  @Query(() => AppConnection, { description: 'The apps of your teams' })
  @Authenticated()
  async apps(@CurrentActor() actor: Actor, @Args('team', { nullable: true }) team?: string, @Args('first', FIRST_ARG) first?: number, @Args('after', AFTER_ARG) after?: string) {
    return toConnection(await this.service.list(actor, await pageQuery(ListAppsPageQuery, first, after, team ? { team } : {})), (a) => a.id, after);
  }

  @Query(() => AppType)
  @TeamAccess('viewer')
  app(@CurrentActor() actor: Actor, @Args('app') app: string) {
    return this.service.get(actor, app);
  }

  @PayloadMutation(CreateAppPayload, 'Create an app in a team where you are a developer (POST /v1/apps)')
  @Audited('app.create', 'app')
  @TeamAccess('developer')
  createApp(@CurrentActor() actor: Actor, @InputArg() input: CreateAppMutationInput) {
    return this.service.create(actor, input);
  }

  @PayloadMutation(UpdateAppPayload, "Change an app's settings; expectedVersion honoured like If-Match (PATCH /v1/apps/{app})")
  @Audited('app.update', 'app')
  @TeamAccess('developer')
  updateApp(@CurrentActor() actor: Actor, @InputArg() input: UpdateAppMutationInput) {
    return this.service.update(actor, input.app, input, input.expectedVersion ?? undefined);
  }

  @PayloadMutation(DeleteAppPayload, 'Delete an app: at once without environments, else it is marked deleting while their namespaces are removed (DELETE /v1/apps/{app})')
  @Audited('app.delete', 'app')
  @TeamAccess('admin')
  deleteApp(@CurrentActor() actor: Actor, @InputArg() input: DeleteAppMutationInput) {
    return this.service.delete(actor, input.app);
  }

  /** Batched across all apps of the request (one query); the app itself was authorised by its parent field. */
  @ResolveField(() => EnvironmentConnection)
  async environments(@Parent() app: AppModel, @Context() ctx: GqlContext, @Args('first', FIRST_ARG) first?: number, @Args('after', AFTER_ARG) after?: string) {
    return sliceConnection(await ctx.loaders.environmentsByApp.load({ teamId: app.team.id, id: app.id }), first, after);
  }
}
