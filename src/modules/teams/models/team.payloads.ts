// Payloads of the team, membership and invitation mutations (graphql/mutation-payload.ts).
import { DeletePayload, MutationPayload } from '../../../graphql/mutation-payload.js';
import { InvitationType, MemberType, TeamType } from './team.types.js';

export const CreateTeamPayload = MutationPayload('CreateTeamPayload', 'The team created', 'team', () => TeamType, 'The new team, with you as its owner');
export const UpdateTeamPayload = MutationPayload('UpdateTeamPayload', 'The team changed', 'team', () => TeamType, 'The team as changed, with its new version');
export const DeleteTeamPayload = DeletePayload('DeleteTeamPayload', 'The team deleted', 'Team');
export const AddMemberPayload = MutationPayload('AddMemberPayload', 'The invitation sent', 'invitation', () => InvitationType, 'The pending invitation');
export const UpdateMemberPayload = MutationPayload('UpdateMemberPayload', 'The membership changed', 'member', () => MemberType, 'The member with their new role and version');
export const RemoveMemberPayload = DeletePayload('RemoveMemberPayload', 'The membership removed', 'Member');
export const RevokeInvitationPayload = DeletePayload('RevokeInvitationPayload', 'The invitation withdrawn', 'Invitation');
export const AcceptInvitationPayload = MutationPayload('AcceptInvitationPayload', 'The invitation accepted', 'member', () => MemberType, 'Your membership of the team');
export const DeclineInvitationPayload = DeletePayload('DeclineInvitationPayload', 'The invitation declined', 'Invitation');
