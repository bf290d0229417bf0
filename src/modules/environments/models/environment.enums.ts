// GraphQL enums of this feature's closed sets (the constants REST validates against).
import { SECURITY_PROFILES } from '../../workloads/render/security.js';
import { graphqlEnum } from '../../../graphql/scalars/enum.js';

export const SecurityProfileEnum = graphqlEnum('SecurityProfile', SECURITY_PROFILES, 'Pod security of an environment (docs/releases.md)');
export const ResourceStateEnum = graphqlEnum('ResourceState', ['active', 'deleting'] as const, 'Whether an app or environment is being deleted');
