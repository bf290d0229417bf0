import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Authenticated, CurrentActor, TeamAccess } from '../../common/auth/access.decorator.js';
import type { Actor } from '../../common/auth/actor.js';
import { PageQuery } from '../../common/pagination/pagination.js';
import { EXPECTED_VERSION_ARG, IDEMPOTENCY_KEY_ARG } from '../../graphql/args.js';
import { ConnectionArgs, TeamChildrenArgs, pageQuery, toConnection } from '../../graphql/pagination/connection.js';
import { InvitationConnection, InvitationType, MemberConnection, MemberType, TeamConnection, TeamType } from './models/team.types.js';
import { Audited } from '../audit/audited.decorator.js';
import { CreateTeamInput, UpdateTeamInput } from './dto/create-team.input.js';
import { AddMemberInput, UpdateMemberInput } from './dto/member.input.js';
import { InvitationsService } from './invitations.service.js';
import { TeamsService } from './teams.service.js';
import { TEAM_REF } from '../../graphql/refs.js';

@Resolver(() => TeamType)
export class TeamsResolver {
  constructor(
    private readonly service: TeamsService,
    private readonly invitationsService: InvitationsService,
  ) {}

  @Query(() => TeamConnection, { description: 'Your teams (platform admins: every team), id order' })
  @Authenticated()
  async teams(@CurrentActor() actor: Actor, @Args() page: ConnectionArgs) {
    return toConnection(await this.service.list(actor, await pageQuery(PageQuery, page)), (t) => t.id, page);
  }

  @Query(() => TeamType, { description: 'One team, by name or id' })
  @TeamAccess('viewer')
  team(@CurrentActor() actor: Actor, @Args(...TEAM_REF) team: string) {
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

  @Query(() => MemberConnection, { description: "A team's members, by user id" })
  @TeamAccess('viewer')
  async members(@CurrentActor() actor: Actor, @Args() { team, ...page }: TeamChildrenArgs) {
    return toConnection(await this.service.listMembers(actor, team, await pageQuery(PageQuery, page)), (m) => m.user_id, page);
  }

  @Mutation(() => InvitationType, { description: 'Invites someone by e-mail; the same answer whether or not the address has an account' })
  @Audited('member.invite', 'invitation')
  @TeamAccess('admin')
  addMember(@CurrentActor() actor: Actor, @Args('team') team: string, @Args('input') input: AddMemberInput, @Args(...IDEMPOTENCY_KEY_ARG) _key?: string) {
    return this.invitationsService.invite(actor, team, input);
  }

  @Query(() => InvitationConnection, { description: "A team's open invitations" })
  @TeamAccess('viewer')
  async invitations(@CurrentActor() actor: Actor, @Args() { team, ...page }: TeamChildrenArgs) {
    return toConnection(await this.invitationsService.listForTeam(actor, team, await pageQuery(PageQuery, page)), (i) => i.id, page);
  }

  @Mutation(() => Boolean)
  @Audited('invitation.revoke', 'invitation')
  @TeamAccess('admin')
  async revokeInvitation(@CurrentActor() actor: Actor, @Args('team') team: string, @Args('invitation') invitation: string, @Args(...IDEMPOTENCY_KEY_ARG) _key?: string) {
    return this.invitationsService.revoke(actor, team, invitation).then(() => true);
  }

  @Query(() => [InvitationType], { description: 'Invitations addressed to you' })
  @Authenticated()
  myInvitations(@CurrentActor() actor: Actor) {
    return this.invitationsService.mine(actor);
  }

  @Mutation(() => MemberType)
  @Audited('invitation.accept', 'member')
  @Authenticated()
  acceptInvitation(@CurrentActor() actor: Actor, @Args('invitation') invitation: string, @Args(...IDEMPOTENCY_KEY_ARG) _key?: string) {
    return this.invitationsService.accept(actor, invitation);
  }

  @Mutation(() => Boolean)
  @Audited('invitation.decline', 'invitation')
  @Authenticated()
  async declineInvitation(@CurrentActor() actor: Actor, @Args('invitation') invitation: string, @Args(...IDEMPOTENCY_KEY_ARG) _key?: string) {
    return this.invitationsService.decline(actor, invitation).then(() => true);
  }

  @Mutation(() => MemberType)
  @Audited('member.update', 'member')
  @TeamAccess('admin')
  updateMember(@CurrentActor() actor: Actor, @Args('team') team: string, @Args('user') user: string, @Args('input') input: UpdateMemberInput, @Args(...EXPECTED_VERSION_ARG) expectedVersion?: number, @Args(...IDEMPOTENCY_KEY_ARG) _key?: string) {
    return this.service.updateMember(actor, team, user, input, expectedVersion ?? undefined);
  }

  @Mutation(() => Boolean)
  @Audited('member.remove', 'member')
  @TeamAccess('viewer')
  async removeMember(@CurrentActor() actor: Actor, @Args('team') team: string, @Args('user') user: string, @Args(...IDEMPOTENCY_KEY_ARG) _key?: string) {
    return this.service.removeMember(actor, team, user).then(() => true);
  }
}
