// Payloads of the token mutations (graphql/mutation-payload.ts).
import { MutationPayload } from '../../../graphql/mutation-payload.js';
import { CreatedTokenType, TokenType } from '../../users/models/user.types.js';

export const CreateTokenPayload = MutationPayload('CreateTokenPayload', 'The token created', 'token', () => CreatedTokenType, 'The new token, with its secret: shown this once');
export const RevokeTokenPayload = MutationPayload('RevokeTokenPayload', 'The token revoked', 'token', () => TokenType, 'The token, revoked from now on');
