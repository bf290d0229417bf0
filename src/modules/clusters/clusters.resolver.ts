import { Args, Context, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { CurrentActor, PlatformAdmin } from '../../common/auth/access.decorator.js';
import { assertPlatformAdmin, type Actor } from '../../common/auth/actor.js';
import type { GqlContext } from '../../graphql/context.js';
import { EnvironmentConnection } from '../environments/models/environment.types.js';
import { toEnvironmentModel } from '../environments/models/environment.model.js';
import type { ClusterModel } from './models/cluster.model.js';
import { PageQuery } from '../../common/pagination/pagination.js';
import { EXPECTED_VERSION_ARG, IDEMPOTENCY_KEY_ARG } from '../../graphql/args.js';
import { ConnectionArgs, pageQuery, sliceConnection, toConnection } from '../../graphql/pagination/connection.js';
import { ClusterConnection, ClusterHealthType, ClusterType, DrainResultType } from './models/cluster.types.js';
import { Audited } from '../audit/audited.decorator.js';
import { ClustersService } from './clusters.service.js';
import { RegisterClusterInput, UpdateClusterInput } from './dto/register-cluster.input.js';

@Resolver(() => ClusterType)
export class ClustersResolver {
  constructor(private readonly service: ClustersService) {}

  @Query(() => ClusterConnection, { description: 'Registered clusters, id order (platform admins)' })
  @PlatformAdmin()
  async clusters(@CurrentActor() actor: Actor, @Args() page: ConnectionArgs) {
    return toConnection(await this.service.list(actor, await pageQuery(PageQuery, page)), (c) => c.id, page);
  }

  @Query(() => ClusterType, { description: 'One cluster, by name or id (platform admins)' })
  @PlatformAdmin()
  cluster(@CurrentActor() actor: Actor, @Args('cluster', { description: 'The cluster, by name or id' }) cluster: string) {
    return this.service.get(actor, cluster);
  }

  @Mutation(() => ClusterType)
  @PlatformAdmin()
  @Audited('cluster.register', 'cluster')
  registerCluster(@CurrentActor() actor: Actor, @Args('input') input: RegisterClusterInput, @Args(...IDEMPOTENCY_KEY_ARG) _key?: string) {
    return this.service.register(actor, input);
  }

  @Mutation(() => ClusterType)
  @PlatformAdmin()
  @Audited('cluster.update', 'cluster')
  updateCluster(@CurrentActor() actor: Actor, @Args('cluster') cluster: string, @Args('input') input: UpdateClusterInput, @Args(...EXPECTED_VERSION_ARG) expectedVersion?: number, @Args(...IDEMPOTENCY_KEY_ARG) _key?: string) {
    return this.service.update(actor, cluster, input, expectedVersion ?? undefined);
  }

  @Mutation(() => ClusterType)
  @PlatformAdmin()
  @Audited('cluster.cordon', 'cluster')
  cordonCluster(@CurrentActor() actor: Actor, @Args('cluster') cluster: string, @Args(...IDEMPOTENCY_KEY_ARG) _key?: string) {
    return this.service.cordon(actor, cluster, true);
  }

  @Mutation(() => ClusterType)
  @PlatformAdmin()
  @Audited('cluster.uncordon', 'cluster')
  uncordonCluster(@CurrentActor() actor: Actor, @Args('cluster') cluster: string, @Args(...IDEMPOTENCY_KEY_ARG) _key?: string) {
    return this.service.cordon(actor, cluster, false);
  }

  @Mutation(() => ClusterType)
  @PlatformAdmin()
  @Audited('cluster.probe', 'cluster')
  probeCluster(@CurrentActor() actor: Actor, @Args('cluster') cluster: string, @Args(...IDEMPOTENCY_KEY_ARG) _key?: string) {
    return this.service.probeNow(actor, cluster);
  }

  @Mutation(() => DrainResultType)
  @PlatformAdmin()
  @Audited('cluster.drain', 'cluster')
  drainCluster(@CurrentActor() actor: Actor, @Args('cluster') cluster: string, @Args(...IDEMPOTENCY_KEY_ARG) _key?: string) {
    return this.service.drain(actor, cluster);
  }

  @Mutation(() => Boolean)
  @PlatformAdmin()
  @Audited('cluster.delete', 'cluster')
  async deleteCluster(@CurrentActor() actor: Actor, @Args('cluster') cluster: string, @Args(...IDEMPOTENCY_KEY_ARG) _key?: string) {
    return this.service.delete(actor, cluster).then(() => true);
  }

  // Fields for platform admins only: a team member reaching the cluster through Environment.cluster
  // gets null and a FORBIDDEN error for them (the rest of the cluster still answers).

  @ResolveField(() => String, { nullable: true, description: 'API server address (platform admins; null and FORBIDDEN for others)' })
  apiUrl(@Parent() cluster: ClusterModel, @CurrentActor() actor: Actor) {
    assertPlatformAdmin(actor);
    return cluster.api_url;
  }

  @ResolveField(() => ClusterHealthType, { nullable: true, description: 'What the last probe found (platform admins; null and FORBIDDEN for others)' })
  health(@Parent() cluster: ClusterModel, @CurrentActor() actor: Actor) {
    assertPlatformAdmin(actor);
    return cluster.health;
  }

  /** Every team's environments, so platform admins only; batched across the clusters of the request. */
  @ResolveField(() => EnvironmentConnection, { nullable: true, description: 'Environments placed on it, id order (platform admins; null and FORBIDDEN for others)' })
  async environments(@Parent() cluster: ClusterModel, @CurrentActor() actor: Actor, @Context() ctx: GqlContext, @Args() page: ConnectionArgs) {
    assertPlatformAdmin(actor);
    return sliceConnection((await ctx.loaders.environmentsByCluster.load(cluster.id)).map(toEnvironmentModel), page);
  }
}
