import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { CurrentActor, TeamAccess } from '../../common/auth/access.decorator.js';
import type { Actor } from '../../common/auth/actor.js';
import { PageQuery } from '../../common/pagination/pagination.js';
import { IDEMPOTENCY_KEY_ARG } from '../../graphql/args.js';
import { EnvironmentChildrenArgs, pageQuery, toConnection } from '../../graphql/pagination/connection.js';
import { DomainConnection, DomainType } from '../environments/models/environment-parts.types.js';
import { Audited } from '../audit/audited.decorator.js';
import { DomainsService } from './domains.service.js';
import { CreateDomainInput } from './dto/create-domain.input.js';
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

  @Mutation(() => DomainType)
  @Audited('domain.create', 'domain')
  @TeamAccess('developer')
  createDomain(@CurrentActor() actor: Actor, @Args('app') app: string, @Args('environment') environment: string, @Args('input') input: CreateDomainInput, @Args(...IDEMPOTENCY_KEY_ARG) _key?: string) {
    return this.service.create(actor, app, environment, input);
  }

  @Mutation(() => Boolean)
  @Audited('domain.delete', 'domain')
  @TeamAccess('developer')
  async deleteDomain(@CurrentActor() actor: Actor, @Args('app') app: string, @Args('environment') environment: string, @Args('hostname') hostname: string, @Args(...IDEMPOTENCY_KEY_ARG) _key?: string) {
    return this.service.delete(actor, app, environment, hostname).then(() => true);
  }
}
