import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Authenticated, CurrentActor, TeamAccess } from '../../common/auth/access.decorator.js';
import type { Actor } from '../../common/auth/actor.js';
import { PageQuery } from '../../common/pagination/pagination.js';
import { EXPECTED_VERSION_ARG, IDEMPOTENCY_KEY_ARG } from '../../graphql/args.js';
import { AFTER_ARG, FIRST_ARG, pageQuery, toConnection } from '../../graphql/pagination/connection.js';
import { MemberConnection, MemberType, TeamConnection, TeamType } from '../../graphql/types/team.types.js';
import { Audited } from '../audit/audited.decorator.js';
import { CreateTeamInput, UpdateTeamInput } from './dto/create-team.input.js';
import { AddMemberInput, UpdateMemberInput } from './dto/member.input.js';
import { TeamsService } from './teams.service.js';

@Resolver(() => TeamType)
export class TeamsResolver {
  constructor(private readonly service: TeamsService) {}

  @Query(() => TeamConnection)
  @Authenticated()
  async teams(@CurrentActor() actor: Actor, @Args('first', FIRST_ARG) first?: number, @Args('after', AFTER_ARG) after?: string) {
    return toConnection(await this.service.list(actor, await pageQuery(PageQuery, first, after)), (t) => t.id);
  }

  @Query(() => TeamType)
  @TeamAccess('viewer')
  team(@CurrentActor() actor: Actor, @Args('team') team: string) {
    return this.service.get(actor, team);
  }

  @Mutation(() => TeamType)
  @Audited('team.create', 'team')
  @Authenticated()
  createTeam(@CurrentActor() actor: Actor, @Args('input') input: CreateTeamInput, @Args(...IDEMPOTENCY_KEY_ARG) _key?: string) {
    return this.service.create(actor, input);
  }

  @Mutation(() => TeamType)
  @Audited('team.update', 'team')
  @TeamAccess('admin')
  updateTeam(@CurrentActor() actor: Actor, @Args('team') team: string, @Args('input') input: UpdateTeamInput, @Args(...EXPECTED_VERSION_ARG) expectedVersion?: number, @Args(...IDEMPOTENCY_KEY_ARG) _key?: string) {
    return this.service.update(actor, team, input, expectedVersion ?? undefined);
  }

  @Mutation(() => Boolean)
  @Audited('team.delete', 'team')
  @TeamAccess('owner')
  async deleteTeam(@CurrentActor() actor: Actor, @Args('team') team: string, @Args(...IDEMPOTENCY_KEY_ARG) _key?: string) {
    return this.service.delete(actor, team).then(() => true);
  }

  @Query(() => MemberConnection)
  @TeamAccess('viewer')
  async members(@CurrentActor() actor: Actor, @Args('team') team: string, @Args('first', FIRST_ARG) first?: number, @Args('after', AFTER_ARG) after?: string) {
    return toConnection(await this.service.listMembers(actor, team, await pageQuery(PageQuery, first, after)), (m) => m.user_id);
  }

  @Mutation(() => MemberType)
  @Audited('member.add', 'member')
  @TeamAccess('admin')
  addMember(@CurrentActor() actor: Actor, @Args('team') team: string, @Args('input') input: AddMemberInput, @Args(...IDEMPOTENCY_KEY_ARG) _key?: string) {
    return this.service.addMember(actor, team, input);
  }

  @Mutation(() => MemberType)
  @Audited('member.update', 'member')
  @TeamAccess('admin')
  updateMember(@CurrentActor() actor: Actor, @Args('team') team: string, @Args('user') user: string, @Args('input') input: UpdateMemberInput, @Args(...IDEMPOTENCY_KEY_ARG) _key?: string) {
    return this.service.updateMember(actor, team, user, input);
  }

  @Mutation(() => Boolean)
  @Audited('member.remove', 'member')
  @TeamAccess('viewer')
  async removeMember(@CurrentActor() actor: Actor, @Args('team') team: string, @Args('user') user: string, @Args(...IDEMPOTENCY_KEY_ARG) _key?: string) {
    return this.service.removeMember(actor, team, user).then(() => true);
  }
}
