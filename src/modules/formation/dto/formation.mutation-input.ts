// GraphQL inputs of the formation mutations: the REST body's class (and its validation) plus the
// references REST carries in the path and the transport options REST carries in headers.
import { InputType } from '@nestjs/graphql';
import { ClientMutationIdField, ExpectedVersionField, IdempotencyKeyField, RefField } from '../../../graphql/args.js';
import { APP_REF } from '../../apps/dto/app.mutation-input.js';
import { ENVIRONMENT_REF } from '../../environments/dto/environment.mutation-input.js';
import { UpdateFormationInput } from './formation.input.js';

@InputType('UpdateFormationInput', { description: 'Process types to create or change (scale, resize, autoscale); versioned with the environment (PATCH /v1/apps/{app}/environments/{env}/formation)' })
export class UpdateFormationMutationInput extends UpdateFormationInput {
  @RefField(APP_REF) app: string;
  @RefField(ENVIRONMENT_REF) environment: string;
  @ExpectedVersionField() expectedVersion?: number;
  @IdempotencyKeyField() idempotencyKey?: string;
  @ClientMutationIdField() clientMutationId?: string;
}

@InputType('DeleteProcessTypeInput', { description: 'The process type to remove (DELETE /v1/apps/{app}/environments/{env}/formation/{type})' })
export class DeleteProcessTypeMutationInput {
  @RefField(APP_REF) app: string;
  @RefField(ENVIRONMENT_REF) environment: string;
  @RefField('The process type, e.g. web') type: string;
  @IdempotencyKeyField() idempotencyKey?: string;
  @ClientMutationIdField() clientMutationId?: string;
}
