// The closed sets of the API as GraphQL enums (one source each: the constants REST validates against).
import { TEAM_ROLES } from '../../common/auth/actor.js';
import { RELEASE_PHASES, RELEASE_REASONS } from '../../modules/releases/release-phase.js';
import { SECURITY_PROFILES } from '../../modules/workloads/render/security.js';
import { graphqlEnum } from '../scalars/enum.js';

export const TeamRoleEnum = graphqlEnum('TeamRole', TEAM_ROLES, 'A member\'s role in a team, from least to most powerful: viewer, developer, admin, owner');
export const ReleasePhaseEnum = graphqlEnum('ReleasePhase', RELEASE_PHASES, 'pending, applying, rolling_out, or terminal: succeeded, failed, superseded (docs/releases.md)');
export const ReleaseReasonEnum = graphqlEnum('ReleaseReason', RELEASE_REASONS, 'Machine-readable cause of a phase (docs/releases.md)');
export const SecurityProfileEnum = graphqlEnum('SecurityProfile', SECURITY_PROFILES, 'Pod security of an environment (docs/releases.md)');
export const ResourceStateEnum = graphqlEnum('ResourceState', ['active', 'deleting'] as const, 'Whether an app or environment is being deleted');
export const InvitationStateEnum = graphqlEnum('InvitationState', ['pending', 'expired'] as const, 'pending until accepted, declined or revoked; expired after expiresAt');
export const AuditOutcomeEnum = graphqlEnum('AuditOutcome', ['success', 'denied'] as const, 'Whether the audited action happened or was refused');
export const AuditActorTypeEnum = graphqlEnum('AuditActorType', ['user', 'token', 'system'] as const, 'Who acted');
