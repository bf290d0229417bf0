import { Args, Context, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { CurrentActor, TeamAccess } from '../../common/auth/access.decorator.js';
import type { Actor } from '../../common/auth/actor.js';
import { PageQuery, pageRequest, withCount } from '../../common/pagination/pagination.js';
import { InputArg } from '../../graphql/args.js';
import { PayloadMutation } from '../../graphql/mutation-payload.js';
import type { GqlContext } from '../../graphql/context.js';
import { AppChildrenArgs, ConnectionArgs, pageQuery, sliceConnection, toConnection } from '../../graphql/pagination/connection.js';
import { DomainConnection } from './models/environment-parts.types.js';
import { toDomainModel } from '../domains/models/domain.model.js';
import { EnvironmentConnection, EnvironmentType } from './models/environment.types.js';
import { AppType } from '../apps/models/app.types.js';
import { toAppModel } from '../apps/models/app.model.js';
import { ClusterType } from '../clusters/models/cluster.types.js';
import { toClusterModel } from '../clusters/models/cluster.model.js';
import { TeamType } from '../teams/models/team.types.js';
import { toTeamModel } from '../teams/models/team.model.js';
import { DomainError } from '../../common/errors/domain-error.js';
import { ReleaseConnection, ReleaseType } from '../releases/models/release.types.js';
import { Audited } from '../audit/audited.decorator.js';
import { CreateEnvironmentMutationInput, DeleteEnvironmentInput, UpdateEnvironmentMutationInput } from './dto/environment.mutation-input.js';
import { CreateEnvironmentPayload, DeleteEnvironmentPayload, UpdateEnvironmentPayload } from './models/environment.payloads.js';
import { EnvironmentsService } from './environments.service.js';
import type { EnvironmentModel } from './models/environment.model.js';
import { APP_REF, ENVIRONMENT_REF } from '../../graphql/refs.js';

@Resolver(() => EnvironmentType)
export class EnvironmentsResolver {
  constructor(private readonly service: EnvironmentsService) {}

  @Query(() => EnvironmentConnection, { description: "An app's environments, id order" })
  @TeamAccess('viewer')
  async environments(@CurrentActor() actor: Actor, @Args() { app, ...page }: AppChildrenArgs) {
    return toConnection(await this.service.list(actor, app, await pageQuery(PageQuery, page)), (e) => e.id, page);
  }

  @Query(() => EnvironmentType, { description: 'One environment of an app, by name or id' })
  @TeamAccess('viewer')
  environment(@CurrentActor() actor: Actor, @Args(...APP_REF) app: string, @Args(...ENVIRONMENT_REF) environment: string) {
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

  // Links, each batched across all environments of the request (one query per link). The
  // environment was authorised by the field that returned it; its app and team are the caller's too.

  @ResolveField(() => ReleaseType, { nullable: true, description: 'The newest release, whatever its phase; null before the first deploy' })
  latestRelease(@Parent() env: EnvironmentModel, @Context() ctx: GqlContext) {
    return env.current_release === null ? null : ctx.loaders.release.load({ teamId: env.team.id, environmentId: env.id, number: env.current_release });
  }

  @ResolveField(() => ReleaseType, { nullable: true, description: 'The newest release that rolled out successfully: what runs once nothing is in progress; null before the first success' })
  currentRelease(@Parent() env: EnvironmentModel, @Context() ctx: GqlContext) {
    return env.current_release === null ? null : ctx.loaders.currentRelease.load({ teamId: env.team.id, environmentId: env.id });
  }

  /** One window query for the first page of every environment of the request (and one count when asked). */
  @ResolveField(() => ReleaseConnection, { description: 'Its releases, newest first (at most the retained ones)' })
  async releases(@Parent() env: EnvironmentModel, @Context() ctx: GqlContext, @Args() args: ConnectionArgs) {
    const key = { teamId: env.team.id, environmentId: env.id };
    const page = await ctx.loaders.releasesByEnvironment.load({ ...key, page: pageRequest<number>(await pageQuery(PageQuery, args), 'number') });
    return toConnection(withCount({ ...page }, () => ctx.loaders.releaseCount.load(key)), (r) => r.number, args);
  }

  @ResolveField(() => DomainConnection, { description: 'Hostnames routed to it, id order' })
  async domains(@Parent() env: EnvironmentModel, @Context() ctx: GqlContext, @Args() args: ConnectionArgs) {
    return sliceConnection((await ctx.loaders.domainsByEnvironment.load({ teamId: env.team.id, environmentId: env.id })).map(toDomainModel), args);
  }

  @ResolveField(() => AppType, { description: 'The app the environment belongs to' })
  async app(@Parent() env: EnvironmentModel, @Context() ctx: GqlContext) {
    const app = await ctx.loaders.app.load({ teamId: env.team.id, id: env.app.id });
    if (!app) throw DomainError.notFound('app', env.app.id);
    return toAppModel(app);
  }

  @ResolveField(() => TeamType, { description: 'The team that owns it' })
  async team(@Parent() env: EnvironmentModel, @Context() ctx: GqlContext, @CurrentActor() actor: Actor) {
    const team = await ctx.loaders.team.load(env.team.id);
    if (!team) throw DomainError.notFound('team', env.team.id);
    return toTeamModel(team, actor.teamRoles.get(team.id) ?? null);
  }

  /** Whoever may read the environment may see where it runs (the public fields: see ClusterType). */
  @ResolveField(() => ClusterType, { nullable: true, description: 'The cluster it is placed on; null until placed' })
  async cluster(@Parent() env: EnvironmentModel, @Context() ctx: GqlContext) {
    if (!env.cluster) return null;
    const cluster = await ctx.loaders.cluster.load(env.cluster.id);
    return cluster ? toClusterModel(cluster, 0) : null;
  }
}
