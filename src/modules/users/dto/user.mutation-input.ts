// GraphQL input of createUser: the REST body's class (and its validation) plus the transport
// options REST carries in headers.
import { InputType } from '@nestjs/graphql';
import { ClientMutationIdField, IdempotencyKeyField } from '../../../graphql/args.js';
import { CreateUserInput } from './create-user.input.js';

@InputType('CreateUserInput', { description: 'A new user (platform admins; POST /v1/users)' })
export class CreateUserMutationInput extends CreateUserInput {
  @IdempotencyKeyField() idempotencyKey?: string;
  @ClientMutationIdField() clientMutationId?: string;
}
