// Payload of createRelease (graphql/mutation-payload.ts).
import { MutationPayload } from '../../../graphql/mutation-payload.js';
import { ReleaseType } from './release.types.js';

export const CreateReleasePayload = MutationPayload('CreateReleasePayload', 'The release created', 'release', () => ReleaseType, 'The new release; follow its status until it is live or failed');
