// Member → user: a member's account, batched across the members of the request. Whoever may read
// the member list sees these people already; the link adds only their account's own fields.
import { Context, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { DomainError } from '../../common/errors/domain-error.js';
import type { GqlContext } from '../../graphql/context.js';
import { UserType } from '../users/models/user.types.js';
import { toUserModel } from '../users/models/user.model.js';
import type { MemberModel } from './models/member.model.js';
import { MemberType } from './models/team.types.js';

@Resolver(() => MemberType)
export class MembersResolver {
  @ResolveField(() => UserType, { description: "The member's account" })
  async user(@Parent() member: MemberModel, @Context() ctx: GqlContext) {
    const user = await ctx.loaders.user.load(member.user_id);
    if (!user) throw DomainError.notFound('user', member.user_id);
    return toUserModel(user);
  }
}
