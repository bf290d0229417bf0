// Payloads of the registry credential mutations (graphql/mutation-payload.ts).
import { DeletePayload, MutationPayload } from '../../../graphql/mutation-payload.js';
import { RegistryCredentialType } from './registry-credential.type.js';

export const PutRegistryCredentialPayload = MutationPayload('PutRegistryCredentialPayload', 'The registry login set', 'registryCredential', () => RegistryCredentialType, 'The login as stored (never its password)');
export const DeleteRegistryCredentialPayload = DeletePayload('DeleteRegistryCredentialPayload', 'The registry login forgotten', 'RegistryCredential');
