// Payload of updateConfigVars (graphql/mutation-payload.ts).
import { MutationPayload } from '../../../graphql/mutation-payload.js';
import { ConfigVarsUpdateType } from '../../environments/models/environment-parts.types.js';

export const UpdateConfigVarsPayload = MutationPayload('UpdateConfigVarsPayload', 'The config vars changed', 'configVars', () => ConfigVarsUpdateType, "The environment's config vars as changed, its new version and the release the change created");
