import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { CurrentActor, PlatformAdmin } from '../../common/auth/access.decorator.js';
import type { Actor } from '../../common/auth/actor.js';
import { PageQuery } from '../../common/pagination/pagination.js';
import { EXPECTED_VERSION_ARG, IDEMPOTENCY_KEY_ARG } from '../../graphql/args.js';
import { AFTER_ARG, FIRST_ARG, pageQuery, toConnection } from '../../graphql/pagination/connection.js';
import { ClusterConnection, ClusterType, DrainResultType } from './models/cluster.types.js';
import { Audited } from '../audit/audited.decorator.js';
import { ClustersService } from './clusters.service.js';
import { RegisterClusterInput, UpdateClusterInput } from './dto/register-cluster.input.js';

@Resolver(() => ClusterType)
export class ClustersResolver {
  constructor(private readonly service: ClustersService) {}

  @Query(() => ClusterConnection, { description: 'Registered clusters (platform admins)' })
  @PlatformAdmin()
  async clusters(@CurrentActor() actor: Actor, @Args('first', FIRST_ARG) first?: number, @Args('after', AFTER_ARG) after?: string) {
    return toConnection(await this.service.list(actor, await pageQuery(PageQuery, first, after)), (c) => c.id, after);
  }

  @Query(() => ClusterType)
  @PlatformAdmin()
  cluster(@CurrentActor() actor: Actor, @Args('cluster') cluster: string) {
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
}
