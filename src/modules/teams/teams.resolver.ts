import { Args, Query, Resolver } from '@nestjs/graphql';
import { Authenticated, CurrentActor, TeamAccess } from '../../common/auth/access.decorator.js';
import type { Actor } from '../../common/auth/actor.js';
import { PageQuery } from '../../common/pagination/pagination.js';
import { InputArg } from '../../graphql/args.js';
import { PayloadMutation } from '../../graphql/mutation-payload.js';
import { pageQuery, toConnection, ConnectionArgs, TeamChildrenArgs } from '../../graphql/pagination/connection.js';
import { InvitationConnection, InvitationType, MemberConnection, TeamConnection, TeamType } from './models/team.types.js';
import { AcceptInvitationPayload, AddMemberPayload, CreateTeamPayload, DeclineInvitationPayload, DeleteTeamPayload, RemoveMemberPayload, RevokeInvitationPayload, UpdateMemberPayload, UpdateTeamPayload } from './models/team.payloads.js';
import { Audited } from '../audit/audited.decorator.js';
import { AcceptInvitationInput, AddMemberMutationInput, CreateTeamMutationInput, DeclineInvitationInput, DeleteTeamMutationInput, RemoveMemberMutationInput, RevokeInvitationMutationInput, UpdateMemberMutationInput, UpdateTeamMutationInput } from './dto/team.mutation-input.js';
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

  @PayloadMutation(CreateTeamPayload, 'Create a team; you become its owner (POST /v1/teams)')
  @Audited('team.create', 'team')
  @Authenticated()
  createTeam(@CurrentActor() actor: Actor, @InputArg() input: CreateTeamMutationInput) {
    return this.service.create(actor, input);
  }

  @PayloadMutation(UpdateTeamPayload, "Change a team's settings; expectedVersion honoured like If-Match (PATCH /v1/teams/{team})")
  @Audited('team.update', 'team')
  @TeamAccess('admin')
  updateTeam(@CurrentActor() actor: Actor, @InputArg() input: UpdateTeamMutationInput) {
    return this.service.update(actor, input.team, input, input.expectedVersion ?? undefined);
  }

  @PayloadMutation(DeleteTeamPayload, 'Delete a team that has no apps (owners; DELETE /v1/teams/{team})')
  @Audited('team.delete', 'team')
  @TeamAccess('owner')
  deleteTeam(@CurrentActor() actor: Actor, @InputArg() input: DeleteTeamMutationInput) {
    return this.service.delete(actor, input.team);
  }

  @Query(() => MemberConnection, { description: "A team's members, by user id" })
  @TeamAccess('viewer')
  async members(@CurrentActor() actor: Actor, @Args() { team, ...page }: TeamChildrenArgs) {
    return toConnection(await this.service.listMembers(actor, team, await pageQuery(PageQuery, page)), (m) => m.user_id, page);
  }

  @PayloadMutation(AddMemberPayload, 'Invite someone by e-mail; the same answer whether or not the address has an account (POST /v1/teams/{team}/members)')
  @Audited('member.invite', 'invitation')
  @TeamAccess('admin')
  addMember(@CurrentActor() actor: Actor, @InputArg() input: AddMemberMutationInput) {
    return this.invitationsService.invite(actor, input.team, input);
  }

  @Query(() => InvitationConnection, { description: "A team's open invitations" })
  @TeamAccess('viewer')
  async invitations(@CurrentActor() actor: Actor, @Args() { team, ...page }: TeamChildrenArgs) {
    return toConnection(await this.invitationsService.listForTeam(actor, team, await pageQuery(PageQuery, page)), (i) => i.id, page);
  }

  @PayloadMutation(RevokeInvitationPayload, "Withdraw a team's pending invitation (DELETE /v1/teams/{team}/invitations/{invitation})")
  @Audited('invitation.revoke', 'invitation')
  @TeamAccess('admin')
  revokeInvitation(@CurrentActor() actor: Actor, @InputArg() input: RevokeInvitationMutationInput) {
    return this.invitationsService.revoke(actor, input.team, input.invitation);
  }

  @Query(() => [InvitationType], { description: 'Invitations addressed to you' })
  @Authenticated()
  myInvitations(@CurrentActor() actor: Actor) {
    return this.invitationsService.mine(actor);
  }

  @PayloadMutation(AcceptInvitationPayload, 'Accept an invitation addressed to you and join its team (POST /v1/invitations/{invitation}/accept)')
  @Audited('invitation.accept', 'member')
  @Authenticated()
  acceptInvitation(@CurrentActor() actor: Actor, @InputArg() input: AcceptInvitationInput) {
    return this.invitationsService.accept(actor, input.invitation);
  }

  @PayloadMutation(DeclineInvitationPayload, 'Decline an invitation addressed to you (DELETE /v1/invitations/{invitation})')
  @Audited('invitation.decline', 'invitation')
  @Authenticated()
  declineInvitation(@CurrentActor() actor: Actor, @InputArg() input: DeclineInvitationInput) {
    return this.invitationsService.decline(actor, input.invitation);
  }

  @PayloadMutation(UpdateMemberPayload, "Change a member's role; expectedVersion honoured like If-Match (PATCH /v1/teams/{team}/members/{user})")
  @Audited('member.update', 'member')
  @TeamAccess('admin')
  updateMember(@CurrentActor() actor: Actor, @InputArg() input: UpdateMemberMutationInput) {
    return this.service.updateMember(actor, input.team, input.user, input, input.expectedVersion ?? undefined);
  }

  @PayloadMutation(RemoveMemberPayload, 'Remove a member; anyone may leave, admins may remove others (DELETE /v1/teams/{team}/members/{user})')
  @Audited('member.remove', 'member')
  @TeamAccess('viewer')
  removeMember(@CurrentActor() actor: Actor, @InputArg() input: RemoveMemberMutationInput) {
    return this.service.removeMember(actor, input.team, input.user);
  }
}
