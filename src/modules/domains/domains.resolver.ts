import { Args, Query, Resolver } from '@nestjs/graphql';
import { CurrentActor, TeamAccess } from '../../common/auth/access.decorator.js';
import type { Actor } from '../../common/auth/actor.js';
import { PageQuery } from '../../common/pagination/pagination.js';
import { InputArg } from '../../graphql/args.js';
import { PayloadMutation } from '../../graphql/mutation-payload.js';
import { pageQuery, toConnection, EnvironmentChildrenArgs } from '../../graphql/pagination/connection.js';
import { DomainConnection, DomainType } from '../environments/models/environment-parts.types.js';
import { Audited } from '../audit/audited.decorator.js';
import { DomainsService } from './domains.service.js';
import { CreateDomainMutationInput, DeleteDomainMutationInput } from './dto/domain.mutation-input.js';
import { CreateDomainPayload, DeleteDomainPayload } from './models/domain.payloads.js';
import { APP_REF, ENVIRONMENT_REF } from '../../graphql/refs.js';

@Resolver(() => DomainType)
export class DomainsResolver {
  constructor(private readonly service: DomainsService) {}

  @Query(() => DomainConnection, { description: "An environment's domains, id order" })
  @TeamAccess('viewer')
  async domains(@CurrentActor() actor: Actor, @Args() { app, environment, ...page }: EnvironmentChildrenArgs) {
    return toConnection(await this.service.list(actor, app, environment, await pageQuery(PageQuery, page)), (d) => d.id, page);
  }

  @Query(() => DomainType, { description: 'One domain of an environment, by hostname' })
  @TeamAccess('viewer')
  domain(@CurrentActor() actor: Actor, @Args(...APP_REF) app: string, @Args(...ENVIRONMENT_REF) environment: string, @Args('hostname', { description: 'The hostname' }) hostname: string) {
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
