// Payloads of the app mutations (graphql/mutation-payload.ts).
import { DeletePayload, MutationPayload } from '../../../graphql/mutation-payload.js';
import { AppType } from './app.types.js';

export const CreateAppPayload = MutationPayload('CreateAppPayload', 'The app created', 'app', () => AppType, 'The new app');
export const UpdateAppPayload = MutationPayload('UpdateAppPayload', 'The app changed', 'app', () => AppType, 'The app as changed, with its new version');
export const DeleteAppPayload = DeletePayload('DeleteAppPayload', 'The app deleted, or being deleted', 'App', {
  field: 'app',
  type: () => AppType,
  description: 'While its environments are being removed, the app in its deleting state; null when it had none and went at once',
});
