import { Args, Query, Resolver } from '@nestjs/graphql';
import { Authenticated, CurrentActor } from '../../common/auth/access.decorator.js';
import type { Actor } from '../../common/auth/actor.js';
import { PageQuery } from '../../common/pagination/pagination.js';
import { InputArg } from '../../graphql/args.js';
import { PayloadMutation } from '../../graphql/mutation-payload.js';
import { pageQuery, toConnection, ConnectionArgs } from '../../graphql/pagination/connection.js';
import { TokenConnection, TokenType } from '../users/models/user.types.js';
import { Audited } from '../audit/audited.decorator.js';
import { CreateTokenMutationInput, RevokeTokenMutationInput } from './dto/token.mutation-input.js';
import { CreateTokenPayload, RevokeTokenPayload } from './models/token.payloads.js';
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

  @PayloadMutation(CreateTokenPayload, 'Create an API token; its secret is in this answer only (POST /v1/tokens)')
  @Audited('token.create', 'token')
  @Authenticated()
  createToken(@CurrentActor() actor: Actor, @InputArg() input: CreateTokenMutationInput) {
    return this.service.create(actor, input);
  }

  @PayloadMutation(RevokeTokenPayload, 'Revoke an API token; requests with it fail from now on (DELETE /v1/tokens/{token})')
  @Audited('token.revoke', 'token')
  @Authenticated()
  revokeToken(@CurrentActor() actor: Actor, @InputArg() input: RevokeTokenMutationInput) {
    return this.service.revoke(actor, input.token);
  }
}
