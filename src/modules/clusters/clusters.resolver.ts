import { Args, Query, Resolver, Context, Parent, ResolveField } from '@nestjs/graphql';
import { CurrentActor, PlatformAdmin } from '../../common/auth/access.decorator.js';
import { assertPlatformAdmin, type Actor } from '../../common/auth/actor.js';
import type { GqlContext } from '../../graphql/context.js';
import { EnvironmentConnection } from '../environments/models/environment.types.js';
import { toEnvironmentModel } from '../environments/models/environment.model.js';
import type { ClusterModel } from './models/cluster.model.js';
import { PageQuery } from '../../common/pagination/pagination.js';
import { InputArg } from '../../graphql/args.js';
import { PayloadMutation } from '../../graphql/mutation-payload.js';
import { pageQuery, toConnection, ConnectionArgs, sliceConnection } from '../../graphql/pagination/connection.js';
import { ClusterConnection, ClusterType, ClusterHealthType } from './models/cluster.types.js';
import { CordonClusterPayload, DeleteClusterPayload, DrainClusterPayload, ProbeClusterPayload, RegisterClusterPayload, UncordonClusterPayload, UpdateClusterPayload } from './models/cluster.payloads.js';
import { Audited } from '../audit/audited.decorator.js';
import { ClustersService } from './clusters.service.js';
import { CordonClusterInput, DeleteClusterInput, DrainClusterInput, ProbeClusterInput, RegisterClusterMutationInput, UncordonClusterInput, UpdateClusterMutationInput } from './dto/cluster.mutation-input.js';

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

  @PayloadMutation(RegisterClusterPayload, 'Register a cluster (platform admins); it is probed before it is stored (POST /v1/clusters)')
  @PlatformAdmin()
  @Audited('cluster.register', 'cluster')
  registerCluster(@CurrentActor() actor: Actor, @InputArg() input: RegisterClusterMutationInput) {
    return this.service.register(actor, input);
  }

  @PayloadMutation(UpdateClusterPayload, "Change a cluster's labels or ingress class; expectedVersion honoured like If-Match (PATCH /v1/clusters/{cluster})")
  @PlatformAdmin()
  @Audited('cluster.update', 'cluster')
  updateCluster(@CurrentActor() actor: Actor, @InputArg() input: UpdateClusterMutationInput) {
    return this.service.update(actor, input.cluster, input, input.expectedVersion ?? undefined);
  }

  @PayloadMutation(CordonClusterPayload, 'Stop placing new environments on a cluster (POST /v1/clusters/{cluster}/cordon)')
  @PlatformAdmin()
  @Audited('cluster.cordon', 'cluster')
  cordonCluster(@CurrentActor() actor: Actor, @InputArg() input: CordonClusterInput) {
    return this.service.cordon(actor, input.cluster, true);
  }

  @PayloadMutation(UncordonClusterPayload, 'Place new environments on a cluster again (POST /v1/clusters/{cluster}/uncordon)')
  @PlatformAdmin()
  @Audited('cluster.uncordon', 'cluster')
  uncordonCluster(@CurrentActor() actor: Actor, @InputArg() input: UncordonClusterInput) {
    return this.service.cordon(actor, input.cluster, false);
  }

  @PayloadMutation(ProbeClusterPayload, "Probe a cluster's API now instead of at the next interval (POST /v1/clusters/{cluster}/probe)")
  @PlatformAdmin()
  @Audited('cluster.probe', 'cluster')
  probeCluster(@CurrentActor() actor: Actor, @InputArg() input: ProbeClusterInput) {
    return this.service.probeNow(actor, input.cluster);
  }

  @PayloadMutation(DrainClusterPayload, 'Cordon a cluster and move its environments to others that fit (POST /v1/clusters/{cluster}/drain)')
  @PlatformAdmin()
  @Audited('cluster.drain', 'cluster')
  drainCluster(@CurrentActor() actor: Actor, @InputArg() input: DrainClusterInput) {
    return this.service.drain(actor, input.cluster);
  }

  @PayloadMutation(DeleteClusterPayload, 'Forget a cluster that runs no environments (DELETE /v1/clusters/{cluster})')
  @PlatformAdmin()
  @Audited('cluster.delete', 'cluster')
  deleteCluster(@CurrentActor() actor: Actor, @InputArg() input: DeleteClusterInput) {
    return this.service.delete(actor, input.cluster);
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
