// Payload of createUser (graphql/mutation-payload.ts).
import { MutationPayload } from '../../../graphql/mutation-payload.js';
import { UserType } from './user.types.js';

export const CreateUserPayload = MutationPayload('CreateUserPayload', 'The user created', 'user', () => UserType, 'The new user');
