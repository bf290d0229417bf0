import { Args, Query, Resolver } from '@nestjs/graphql';
import { CurrentActor, PlatformAdmin, TeamAccess } from '../../common/auth/access.decorator.js';
import type { Actor } from '../../common/auth/actor.js';
import { InputArg } from '../../graphql/args.js';
import { PayloadMutation } from '../../graphql/mutation-payload.js';
import { QuotaType } from './models/quota.types.js';
import { Audited } from '../audit/audited.decorator.js';
import { RecomputeQuotaMutationInput, UpdateQuotaMutationInput } from './dto/quota.mutation-input.js';
import { RecomputeQuotaPayload, UpdateQuotaPayload } from './models/quota.payloads.js';
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

  @PayloadMutation(UpdateQuotaPayload, "Change a team's limits (platform admins); expectedVersion honoured like If-Match (PUT /v1/teams/{team}/quota)")
  @PlatformAdmin()
  @Audited('quota.update', 'quota')
  updateQuota(@CurrentActor() actor: Actor, @InputArg() input: UpdateQuotaMutationInput) {
    return this.service.update(actor, input.team, input, input.expectedVersion ?? undefined);
  }

  @PayloadMutation(RecomputeQuotaPayload, "Count a team's usage again from its objects (platform admins; POST /v1/teams/{team}/quota/recompute)")
  @PlatformAdmin()
  @Audited('quota.recompute', 'quota')
  recomputeQuota(@CurrentActor() actor: Actor, @InputArg() input: RecomputeQuotaMutationInput) {
    return this.service.recompute(actor, input.team);
  }
}
