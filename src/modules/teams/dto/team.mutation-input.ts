// GraphQL inputs of the team, membership and invitation mutations: the REST body's class (and its
// validation) plus the references REST carries in the path and the options REST carries in headers.
import { InputType } from '@nestjs/graphql';
import { ClientMutationIdField, ExpectedVersionField, IdempotencyKeyField, RefField } from '../../../graphql/args.js';
import { CreateTeamInput, UpdateTeamInput } from './create-team.input.js';
import { AddMemberInput, UpdateMemberInput } from './member.input.js';

export const TEAM_REF = 'The team: its name or id';
const USER_REF = 'The member: their user id or e-mail address';
const INVITATION_REF = 'The invitation id';

@InputType('CreateTeamInput', { description: 'A new team; you become its owner (POST /v1/teams)' })
export class CreateTeamMutationInput extends CreateTeamInput {
  @IdempotencyKeyField() idempotencyKey?: string;
  @ClientMutationIdField() clientMutationId?: string;
}

@InputType('UpdateTeamInput', { description: "Changes to a team's settings (PATCH /v1/teams/{team})" })
export class UpdateTeamMutationInput extends UpdateTeamInput {
  @RefField(TEAM_REF) team: string;
  @ExpectedVersionField() expectedVersion?: number;
  @IdempotencyKeyField() idempotencyKey?: string;
  @ClientMutationIdField() clientMutationId?: string;
}

@InputType('DeleteTeamInput', { description: 'The team to delete; it must have no apps (DELETE /v1/teams/{team})' })
export class DeleteTeamMutationInput {
  @RefField(TEAM_REF) team: string;
  @IdempotencyKeyField() idempotencyKey?: string;
  @ClientMutationIdField() clientMutationId?: string;
}

@InputType('AddMemberInput', { description: 'Whom to invite to a team, and with which role (POST /v1/teams/{team}/members)' })
export class AddMemberMutationInput extends AddMemberInput {
  @RefField(TEAM_REF) team: string;
  @IdempotencyKeyField() idempotencyKey?: string;
  @ClientMutationIdField() clientMutationId?: string;
}

@InputType('UpdateMemberInput', { description: "A member's new role (PATCH /v1/teams/{team}/members/{user})" })
export class UpdateMemberMutationInput extends UpdateMemberInput {
  @RefField(TEAM_REF) team: string;
  @RefField(USER_REF) user: string;
  @ExpectedVersionField() expectedVersion?: number;
  @IdempotencyKeyField() idempotencyKey?: string;
  @ClientMutationIdField() clientMutationId?: string;
}

@InputType('RemoveMemberInput', { description: 'The member to remove from a team (DELETE /v1/teams/{team}/members/{user})' })
export class RemoveMemberMutationInput {
  @RefField(TEAM_REF) team: string;
  @RefField(USER_REF) user: string;
  @IdempotencyKeyField() idempotencyKey?: string;
  @ClientMutationIdField() clientMutationId?: string;
}

@InputType('RevokeInvitationInput', { description: "The team's invitation to withdraw (DELETE /v1/teams/{team}/invitations/{invitation})" })
export class RevokeInvitationMutationInput {
  @RefField(TEAM_REF) team: string;
  @RefField(INVITATION_REF) invitation: string;
  @IdempotencyKeyField() idempotencyKey?: string;
  @ClientMutationIdField() clientMutationId?: string;
}

/** Accepting and declining name an invitation addressed to you, and nothing else. */
function ownInvitationInput(name: string, description: string) {
  @InputType(name, { description })
  class OwnInvitationInput {
    @RefField(INVITATION_REF) invitation: string;
    @IdempotencyKeyField() idempotencyKey?: string;
    @ClientMutationIdField() clientMutationId?: string;
  }
  return OwnInvitationInput;
}

export const AcceptInvitationInput = ownInvitationInput('AcceptInvitationInput', 'The invitation addressed to you to accept (POST /v1/invitations/{invitation}/accept)');
export type AcceptInvitationInput = InstanceType<typeof AcceptInvitationInput>;
export const DeclineInvitationInput = ownInvitationInput('DeclineInvitationInput', 'The invitation addressed to you to decline (DELETE /v1/invitations/{invitation})');
export type DeclineInvitationInput = InstanceType<typeof DeclineInvitationInput>;
