// GraphQL enums of this feature's closed sets (the constants REST validates against).
import { TEAM_ROLES } from '../../../common/auth/actor.js';
import { graphqlEnum } from '../../../graphql/scalars/enum.js';

export const TeamRoleEnum = graphqlEnum('TeamRole', TEAM_ROLES, 'A member\'s role in a team, from least to most powerful: viewer, developer, admin, owner');
export const InvitationStateEnum = graphqlEnum('InvitationState', ['pending', 'expired'] as const, 'pending until accepted, declined or revoked; expired after expiresAt');
