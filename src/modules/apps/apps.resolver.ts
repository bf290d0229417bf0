import { Args, Context, Parent, Query, ResolveField, Resolver, ArgsType, Field } from '@nestjs/graphql';
import { IsOptional, IsString } from 'class-validator';
import { Authenticated, CurrentActor, TeamAccess } from '../../common/auth/access.decorator.js';
import type { Actor } from '../../common/auth/actor.js';
import { InputArg } from '../../graphql/args.js';
import { PayloadMutation } from '../../graphql/mutation-payload.js';
import type { GqlContext } from '../../graphql/context.js';
import { ConnectionArgs, pageQuery, sliceConnection, toConnection } from '../../graphql/pagination/connection.js';
import { AppConnection, AppType } from './models/app.types.js';
import { DomainError } from '../../common/errors/domain-error.js';
import { EnvironmentConnection } from '../environments/models/environment.types.js';
import { toEnvironmentModel } from '../environments/models/environment.model.js';
import { TeamType } from '../teams/models/team.types.js';
import { toTeamModel } from '../teams/models/team.model.js';
import { Audited } from '../audit/audited.decorator.js';
import { AppsService } from './apps.service.js';
import { CreateAppMutationInput, DeleteAppMutationInput, UpdateAppMutationInput } from './dto/app.mutation-input.js';
import { CreateAppPayload, DeleteAppPayload, UpdateAppPayload } from './models/app.payloads.js';
import { ListAppsPageQuery } from './dto/list-apps.query.js';
import type { AppModel } from './models/app.model.js';
import { APP_REF } from '../../graphql/refs.js';

/** `apps`: the connection, optionally only one team's. */
@ArgsType()
class AppsArgs extends ConnectionArgs {
  @Field(() => String, { nullable: true, description: "Only this team's apps (name or id)" })
  @IsOptional()
  @IsString()
  team?: string | null;
}

@Resolver(() => AppType)
export class AppsResolver {
  constructor(private readonly service: AppsService) {}

  @Query(() => AppConnection, { description: 'The apps of your teams' })
  @Authenticated()
  async apps(@CurrentActor() actor: Actor, @Args() { team, ...page }: AppsArgs) {
    return toConnection(await this.service.list(actor, await pageQuery(ListAppsPageQuery, page, team ? { team } : {})), (a) => a.id, page);
  }

  @Query(() => AppType, { description: 'One app, by name or id' })
  @TeamAccess('viewer')
  app(@CurrentActor() actor: Actor, @Args(...APP_REF) app: string) {
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
  @ResolveField(() => EnvironmentConnection, { description: "The app's environments, id order" })
  async environments(@Parent() app: AppModel, @Context() ctx: GqlContext, @Args() page: ConnectionArgs) {
    const records = await ctx.loaders.environmentsByApp.load({ teamId: app.team.id, id: app.id });
    return sliceConnection(records.map(toEnvironmentModel), page);
  }

  /**
   * The app's team: whoever may read the app is a member of it (or a platform admin). A selection
   * of only what the app's team reference holds is answered in front of this, without a query
   * (./app-team-ref.ts); anything more loads the team.
   */
  @ResolveField(() => TeamType, { description: 'The team that owns the app' })
  async team(@Parent() app: AppModel, @Context() ctx: GqlContext, @CurrentActor() actor: Actor) {
    const team = await ctx.loaders.team.load(app.team.id);
    if (!team) throw DomainError.notFound('team', app.team.id);
    return toTeamModel(team, actor.teamRoles.get(team.id) ?? null);
  }
}
