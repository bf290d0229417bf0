import { Args, Query, Resolver } from '@nestjs/graphql';
import { CurrentActor, TeamAccess } from '../../common/auth/access.decorator.js';
import type { Actor } from '../../common/auth/actor.js';
import { PageQuery } from '../../common/pagination/pagination.js';
import { InputArg } from '../../graphql/args.js';
import { PayloadMutation } from '../../graphql/mutation-payload.js';
import { AFTER_ARG, FIRST_ARG, pageQuery, toConnection } from '../../graphql/pagination/connection.js';
import { DomainConnection, DomainType } from '../environments/models/environment-parts.types.js';
import { Audited } from '../audit/audited.decorator.js';
import { DomainsService } from './domains.service.js';
import { CreateDomainMutationInput, DeleteDomainMutationInput } from './dto/domain.mutation-input.js';
import { CreateDomainPayload, DeleteDomainPayload } from './models/domain.payloads.js';

@Resolver(() => DomainType)
export class DomainsResolver {
  constructor(private readonly service: DomainsService) {}

  @Query(() => DomainConnection)
  @TeamAccess('viewer')
  async domains(@CurrentActor() actor: Actor, @Args('app') app: string, @Args('environment') environment: string, @Args('first', FIRST_ARG) first?: number, @Args('after', AFTER_ARG) after?: string) {
    return toConnection(await this.service.list(actor, app, environment, await pageQuery(PageQuery, first, after)), (d) => d.id, after);
  }

  @Query(() => DomainType)
  @TeamAccess('viewer')
  domain(@CurrentActor() actor: Actor, @Args('app') app: string, @Args('environment') environment: string, @Args('hostname') hostname: string) {
    return this.service.get(actor, app, environment, hostname);
  }

  @PayloadMutation(CreateDomainPayload, 'Route a hostname to an environment (POST /v1/apps/{app}/environments/{env}/domains)')
  @Audited('domain.create', 'domain')
  @TeamAccess('developer')
  createDomain(@CurrentActor() actor: Actor, @InputArg() input: CreateDomainMutationInput) {
    return this.service.create(actor, input.app, input.environment, input);
  }

  @PayloadMutation(DeleteDomainPayload, 'Stop routing a hostname to an environment (DELETE /v1/apps/{app}/environments/{env}/domains/{hostname})')
  @Audited('domain.delete', 'domain')
  @TeamAccess('developer')
  deleteDomain(@CurrentActor() actor: Actor, @InputArg() input: DeleteDomainMutationInput) {
    return this.service.delete(actor, input.app, input.environment, input.hostname);
  }
}
