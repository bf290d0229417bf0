import { Args, Query, Resolver } from '@nestjs/graphql';
import { Authenticated, CurrentActor, PlatformAdmin } from '../../common/auth/access.decorator.js';
import type { Actor } from '../../common/auth/actor.js';
import { PageQuery } from '../../common/pagination/pagination.js';
import { InputArg } from '../../graphql/args.js';
import { PayloadMutation } from '../../graphql/mutation-payload.js';
import { AFTER_ARG, FIRST_ARG, pageQuery, toConnection } from '../../graphql/pagination/connection.js';
import { CurrentUserType, UserConnection, UserType } from './models/user.types.js';
import { Audited } from '../audit/audited.decorator.js';
import { CreateUserMutationInput } from './dto/user.mutation-input.js';
import { CreateUserPayload } from './models/user.payloads.js';
import { UsersService } from './users.service.js';

@Resolver(() => UserType)
export class UsersResolver {
  constructor(private readonly service: UsersService) {}

  @Query(() => CurrentUserType)
  @Authenticated()
  me(@CurrentActor() actor: Actor) {
    return this.service.me(actor);
  }

  @Query(() => UserConnection)
  @PlatformAdmin()
  async users(@CurrentActor() actor: Actor, @Args('first', FIRST_ARG) first?: number, @Args('after', AFTER_ARG) after?: string) {
    return toConnection(await this.service.list(actor, await pageQuery(PageQuery, first, after)), (u) => u.id, after);
  }

  @PayloadMutation(CreateUserPayload, 'Create a user (platform admins; POST /v1/users)')
  @Audited('user.create', 'user')
  @PlatformAdmin()
  createUser(@CurrentActor() actor: Actor, @InputArg() input: CreateUserMutationInput) {
    return this.service.create(actor, input);
  }
}
