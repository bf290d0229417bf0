// Payloads of the quota mutations (graphql/mutation-payload.ts).
import { MutationPayload } from '../../../graphql/mutation-payload.js';
import { QuotaType } from './quota.types.js';

export const UpdateQuotaPayload = MutationPayload('UpdateQuotaPayload', 'The quota changed', 'quota', () => QuotaType, 'The quota with its new limits and version');
export const RecomputeQuotaPayload = MutationPayload('RecomputeQuotaPayload', 'The quota recounted', 'quota', () => QuotaType, 'The quota with its usage counted again');
