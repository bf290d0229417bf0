// GraphQL enums of this feature's closed sets (the constants REST validates against).
import { graphqlEnum } from '../../../graphql/scalars/enum.js';

export const AuditOutcomeEnum = graphqlEnum('AuditOutcome', ['success', 'denied'] as const, 'Whether the audited action happened or was refused');
export const AuditActorTypeEnum = graphqlEnum('AuditActorType', ['user', 'token', 'system'] as const, 'Who acted');
