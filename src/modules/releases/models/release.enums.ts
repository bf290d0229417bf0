// GraphQL enums of this feature's closed sets (the constants REST validates against).
import { RELEASE_PHASES, RELEASE_REASONS } from '../release-phase.js';
import { graphqlEnum } from '../../../graphql/scalars/enum.js';

export const ReleasePhaseEnum = graphqlEnum('ReleasePhase', RELEASE_PHASES, 'pending, applying, rolling_out, or terminal: succeeded, failed, superseded (docs/releases.md)');
export const ReleaseReasonEnum = graphqlEnum('ReleaseReason', RELEASE_REASONS, 'Machine-readable cause of a phase (docs/releases.md)');
