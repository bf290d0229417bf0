// Payloads of the environment mutations (graphql/mutation-payload.ts).
import { DeletePayload, MutationPayload } from '../../../graphql/mutation-payload.js';
import { EnvironmentType } from './environment.types.js';

export const CreateEnvironmentPayload = MutationPayload('CreateEnvironmentPayload', 'The environment created', 'environment', () => EnvironmentType, 'The new environment, placed on a cluster');
export const UpdateEnvironmentPayload = MutationPayload('UpdateEnvironmentPayload', 'The environment changed', 'environment', () => EnvironmentType, 'The environment as changed, with its new version');
export const DeleteEnvironmentPayload = DeletePayload('DeleteEnvironmentPayload', 'The environment being deleted', 'Environment', {
  field: 'environment',
  type: () => EnvironmentType,
  description: 'The environment in its deleting state while its namespace is removed',
});
export const RestartEnvironmentPayload = MutationPayload('RestartEnvironmentPayload', 'The environment restarting', 'environment', () => EnvironmentType, 'The environment whose processes are being restarted');
