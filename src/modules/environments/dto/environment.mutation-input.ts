// GraphQL inputs of the environment mutations: the REST body's class (and its validation) plus the
// references REST carries in the path and the transport options REST carries in headers.
import { InputType } from '@nestjs/graphql';
import { ClientMutationIdField, ExpectedVersionField, IdempotencyKeyField, RefField } from '../../../graphql/args.js';
import { APP_REF } from '../../apps/dto/app.mutation-input.js';
import { CreateEnvironmentInput, UpdateEnvironmentInput } from './environment.input.js';

export const ENVIRONMENT_REF = 'The environment of that app: its name or id';

@InputType('CreateEnvironmentInput', { description: 'A new environment of an app (POST /v1/apps/{app}/environments)' })
export class CreateEnvironmentMutationInput extends CreateEnvironmentInput {
  @RefField(APP_REF) app: string;
  @IdempotencyKeyField() idempotencyKey?: string;
  @ClientMutationIdField() clientMutationId?: string;
}

@InputType('UpdateEnvironmentInput', { description: "Changes to an environment's settings (PATCH /v1/apps/{app}/environments/{env})" })
export class UpdateEnvironmentMutationInput extends UpdateEnvironmentInput {
  @RefField(APP_REF) app: string;
  @RefField(ENVIRONMENT_REF) environment: string;
  @ExpectedVersionField() expectedVersion?: number;
  @IdempotencyKeyField() idempotencyKey?: string;
  @ClientMutationIdField() clientMutationId?: string;
}

/** Inputs naming one environment and nothing else (delete, restart) are alike. */
export function environmentActionInput(name: string, description: string) {
  @InputType(name, { description })
  class EnvironmentActionInput {
    @RefField(APP_REF) app: string;
    @RefField(ENVIRONMENT_REF) environment: string;
    @IdempotencyKeyField() idempotencyKey?: string;
    @ClientMutationIdField() clientMutationId?: string;
  }
  return EnvironmentActionInput;
}

export const DeleteEnvironmentInput = environmentActionInput('DeleteEnvironmentInput', 'The environment to delete (DELETE /v1/apps/{app}/environments/{env})');
export type DeleteEnvironmentInput = InstanceType<typeof DeleteEnvironmentInput>;
export const RestartEnvironmentInput = environmentActionInput('RestartEnvironmentInput', 'The environment whose processes to restart (POST /v1/apps/{app}/environments/{env}/restart)');
export type RestartEnvironmentInput = InstanceType<typeof RestartEnvironmentInput>;
