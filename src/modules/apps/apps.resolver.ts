import { Args, Context, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Authenticated, CurrentActor, TeamAccess } from '../../common/auth/access.decorator.js';
import type { Actor } from '../../common/auth/actor.js';
import { EXPECTED_VERSION_ARG, IDEMPOTENCY_KEY_ARG } from '../../graphql/args.js';
import type { GqlContext } from '../../graphql/context.js';
import { AFTER_ARG, FIRST_ARG, pageQuery, sliceConnection, toConnection } from '../../graphql/pagination/connection.js';
import { AppConnection, AppType, EnvironmentConnection } from './models/app.types.js';
import { Audited } from '../audit/audited.decorator.js';
import { AppsService } from './apps.service.js';
import { CreateAppInput, UpdateAppInput } from './dto/create-app.input.js';
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

  @Mutation(() => AppType)
  @Audited('app.create', 'app')
  @TeamAccess('developer')
  createApp(@CurrentActor() actor: Actor, @Args('input') input: CreateAppInput, @Args(...IDEMPOTENCY_KEY_ARG) _key?: string) {
    return this.service.create(actor, input);
  }

  @Mutation(() => AppType)
  @Audited('app.update', 'app')
  @TeamAccess('developer')
  updateApp(@CurrentActor() actor: Actor, @Args('app') app: string, @Args('input') input: UpdateAppInput, @Args(...EXPECTED_VERSION_ARG) expectedVersion?: number, @Args(...IDEMPOTENCY_KEY_ARG) _key?: string) {
    return this.service.update(actor, app, input, expectedVersion ?? undefined);
  }

  @Mutation(() => Boolean)
  @Audited('app.delete', 'app')
  @TeamAccess('admin')
  async deleteApp(@CurrentActor() actor: Actor, @Args('app') app: string, @Args(...IDEMPOTENCY_KEY_ARG) _key?: string) {
    return this.service.delete(actor, app).then(() => true);
  }

  /** Batched across all apps of the request (one query); the app itself was authorised by its parent field. */
  @ResolveField(() => EnvironmentConnection)
  async environments(@Parent() app: AppModel, @Context() ctx: GqlContext, @Args('first', FIRST_ARG) first?: number, @Args('after', AFTER_ARG) after?: string) {
    return sliceConnection(await ctx.loaders.environmentsByApp.load({ teamId: app.team.id, id: app.id }), first, after);
  }
}
