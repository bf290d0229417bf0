import { Args, Query, Resolver, Parent, ResolveField } from '@nestjs/graphql';
import { Authenticated, CurrentActor, PlatformAdmin } from '../../common/auth/access.decorator.js';
import type { Actor } from '../../common/auth/actor.js';
import { DomainError } from '../../common/errors/domain-error.js';
import type { UserModel } from './models/user.model.js';
import { PageQuery } from '../../common/pagination/pagination.js';
import { InputArg } from '../../graphql/args.js';
import { PayloadMutation } from '../../graphql/mutation-payload.js';
import { pageQuery, toConnection, ConnectionArgs } from '../../graphql/pagination/connection.js';
import { CurrentUserType, UserConnection, UserType } from './models/user.types.js';
import { Audited } from '../audit/audited.decorator.js';
import { CreateUserMutationInput } from './dto/user.mutation-input.js';
import { CreateUserPayload } from './models/user.payloads.js';
import { UsersService } from './users.service.js';

@Resolver(() => UserType)
export class UsersResolver {
  constructor(private readonly service: UsersService) {}

  @Query(() => CurrentUserType, { description: 'You, with your teams and roles' })
  @Authenticated()
  me(@CurrentActor() actor: Actor) {
    return this.service.me(actor);
  }

  @Query(() => UserConnection, { description: 'Every user (platform admins)' })
  @PlatformAdmin()
  async users(@CurrentActor() actor: Actor, @Args() page: ConnectionArgs) {
    return toConnection(await this.service.list(actor, await pageQuery(PageQuery, page)), (u) => u.id, page);
  }

  @PayloadMutation(CreateUserPayload, 'Create a user (platform admins; POST /v1/users)')
  @Audited('user.create', 'user')
  @PlatformAdmin()
  createUser(@CurrentActor() actor: Actor, @InputArg() input: CreateUserMutationInput) {
    return this.service.create(actor, input);
  }

  /**
   * Who the platform admins are is theirs to know: a teammate reached through Release.creator or
   * Member.user sees name and e-mail, not this (null with FORBIDDEN). `me` always answers it.
   */
  @ResolveField(() => Boolean, { name: 'platformAdmin', nullable: true, description: 'May manage users, clusters, quotas and every team (platform admins and the user themself; null and FORBIDDEN for others)' })
  platformAdmin(@Parent() user: UserModel, @CurrentActor() actor: Actor) {
    if (!actor.isPlatformAdmin && actor.userId !== user.id) throw new DomainError('forbidden', 'only platform admins see who else is one');
    return user.platform_admin;
  }
}
