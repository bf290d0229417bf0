// Payloads of the formation mutations (graphql/mutation-payload.ts).
import { DeletePayload, MutationPayload } from '../../../graphql/mutation-payload.js';
import { FormationType } from '../../environments/models/environment-parts.types.js';

export const UpdateFormationPayload = MutationPayload('UpdateFormationPayload', 'The formation changed', 'formation', () => FormationType, "The environment's process types as changed, with the environment's new version");
export const DeleteProcessTypePayload = DeletePayload('DeleteProcessTypePayload', 'The process type removed', 'ProcessType');
