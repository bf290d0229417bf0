// GraphQL inputs of the token mutations: the REST body's class (and its validation) plus the
// reference REST carries in the path and the transport options REST carries in headers.
import { InputType } from '@nestjs/graphql';
import { ClientMutationIdField, IdempotencyKeyField, RefField } from '../../../graphql/args.js';
import { CreateTokenInput } from './create-token.input.js';

@InputType('CreateTokenInput', { description: 'A new API token for you (or, for platform admins, another user) (POST /v1/tokens)' })
export class CreateTokenMutationInput extends CreateTokenInput {
  @IdempotencyKeyField() idempotencyKey?: string;
  @ClientMutationIdField() clientMutationId?: string;
}

@InputType('RevokeTokenInput', { description: 'The token to revoke (DELETE /v1/tokens/{token})' })
export class RevokeTokenMutationInput {
  @RefField('The token id (never the secret)') token: string;
  @IdempotencyKeyField() idempotencyKey?: string;
  @ClientMutationIdField() clientMutationId?: string;
}
