// Payloads of the domain mutations (graphql/mutation-payload.ts).
import { DeletePayload, MutationPayload } from '../../../graphql/mutation-payload.js';
import { DomainType } from '../../environments/models/environment-parts.types.js';

export const CreateDomainPayload = MutationPayload('CreateDomainPayload', 'The domain added', 'domain', () => DomainType, 'The new domain');
export const DeleteDomainPayload = DeletePayload('DeleteDomainPayload', 'The domain removed', 'Domain');
