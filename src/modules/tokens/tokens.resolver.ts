import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Authenticated, CurrentActor } from '../../common/auth/access.decorator.js';
import type { Actor } from '../../common/auth/actor.js';
import { PageQuery } from '../../common/pagination/pagination.js';
import { IDEMPOTENCY_KEY_ARG } from '../../graphql/args.js';
import { ConnectionArgs, pageQuery, toConnection } from '../../graphql/pagination/connection.js';
import { CreatedTokenType, TokenConnection, TokenType } from '../users/models/user.types.js';
import { Audited } from '../audit/audited.decorator.js';
import { CreateTokenInput } from './dto/create-token.input.js';
import { TokensService } from './tokens.service.js';

@Resolver(() => TokenType)
export class TokensResolver {
  constructor(private readonly service: TokensService) {}

  @Query(() => TokenConnection, { description: 'Your API tokens (never the secrets)' })
  @Authenticated()
  async tokens(@CurrentActor() actor: Actor, @Args() page: ConnectionArgs) {
    return toConnection(await this.service.list(actor, await pageQuery(PageQuery, page)), (t) => t.id, page);
  }

  @Query(() => TokenType, { description: 'One of your tokens (platform admins: anyone\'s)' })
  @Authenticated()
  token(@CurrentActor() actor: Actor, @Args('token', { description: 'The token id' }) token: string) {
    return this.service.get(actor, token);
  }

  @Mutation(() => CreatedTokenType)
  @Audited('token.create', 'token')
  @Authenticated()
  createToken(@CurrentActor() actor: Actor, @Args('input') input: CreateTokenInput, @Args(...IDEMPOTENCY_KEY_ARG) _key?: string) {
    return this.service.create(actor, input);
  }

  @Mutation(() => TokenType)
  @Audited('token.revoke', 'token')
  @Authenticated()
  revokeToken(@CurrentActor() actor: Actor, @Args('token') token: string, @Args(...IDEMPOTENCY_KEY_ARG) _key?: string) {
    return this.service.revoke(actor, token);
  }
}
