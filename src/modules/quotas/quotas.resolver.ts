import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { CurrentActor, PlatformAdmin, TeamAccess } from '../../common/auth/access.decorator.js';
import type { Actor } from '../../common/auth/actor.js';
import { EXPECTED_VERSION_ARG, IDEMPOTENCY_KEY_ARG } from '../../graphql/args.js';
import { QuotaType } from './models/quota.types.js';
import { Audited } from '../audit/audited.decorator.js';
import { UpdateQuotaInput } from './dto/update-quota.input.js';
import { QuotasService } from './quotas.service.js';
import { TEAM_REF } from '../../graphql/refs.js';

@Resolver(() => QuotaType)
export class QuotasResolver {
  constructor(private readonly service: QuotasService) {}

  @Query(() => QuotaType, { description: "A team's quota: limits and usage" })
  @TeamAccess('viewer')
  quota(@CurrentActor() actor: Actor, @Args(...TEAM_REF) team: string) {
    return this.service.get(actor, team);
  }

  @Mutation(() => QuotaType)
  @PlatformAdmin()
  @Audited('quota.update', 'quota')
  updateQuota(@CurrentActor() actor: Actor, @Args('team') team: string, @Args('input') input: UpdateQuotaInput, @Args(...EXPECTED_VERSION_ARG) expectedVersion?: number, @Args(...IDEMPOTENCY_KEY_ARG) _key?: string) {
    return this.service.update(actor, team, input, expectedVersion ?? undefined);
  }

  @Mutation(() => QuotaType)
  @PlatformAdmin()
  @Audited('quota.recompute', 'quota')
  recomputeQuota(@CurrentActor() actor: Actor, @Args('team') team: string, @Args(...IDEMPOTENCY_KEY_ARG) _key?: string) {
    return this.service.recompute(actor, team);
  }
}
