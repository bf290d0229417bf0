// GraphQL inputs of the domain mutations: the REST body's class (and its validation) plus the
// references REST carries in the path and the transport options REST carries in headers.
import { InputType } from '@nestjs/graphql';
import { ClientMutationIdField, IdempotencyKeyField, RefField } from '../../../graphql/args.js';
import { APP_REF } from '../../apps/dto/app.mutation-input.js';
import { ENVIRONMENT_REF } from '../../environments/dto/environment.mutation-input.js';
import { CreateDomainInput } from './create-domain.input.js';

@InputType('CreateDomainInput', { description: 'A hostname routed to an environment (POST /v1/apps/{app}/environments/{env}/domains)' })
export class CreateDomainMutationInput extends CreateDomainInput {
  @RefField(APP_REF) app: string;
  @RefField(ENVIRONMENT_REF) environment: string;
  @IdempotencyKeyField() idempotencyKey?: string;
  @ClientMutationIdField() clientMutationId?: string;
}

@InputType('DeleteDomainInput', { description: 'The domain to remove (DELETE /v1/apps/{app}/environments/{env}/domains/{hostname})' })
export class DeleteDomainMutationInput {
  @RefField(APP_REF) app: string;
  @RefField(ENVIRONMENT_REF) environment: string;
  @RefField('The hostname, as it was added') hostname: string;
  @IdempotencyKeyField() idempotencyKey?: string;
  @ClientMutationIdField() clientMutationId?: string;
}
