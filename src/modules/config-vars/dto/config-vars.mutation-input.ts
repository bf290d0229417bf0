// GraphQL input of updateConfigVars: the REST body's class (and its validation) plus the references
// REST carries in the path and the transport options REST carries in headers.
import { InputType } from '@nestjs/graphql';
import { ClientMutationIdField, ExpectedVersionField, IdempotencyKeyField, RefField } from '../../../graphql/args.js';
import { APP_REF } from '../../apps/dto/app.mutation-input.js';
import { ENVIRONMENT_REF } from '../../environments/dto/environment.mutation-input.js';
import { UpdateConfigVarsInput } from './update-config-vars.input.js';

@InputType('UpdateConfigVarsInput', { description: "Config vars to set and unset; versioned with the environment (PATCH /v1/apps/{app}/environments/{env}/config-vars)" })
export class UpdateConfigVarsMutationInput extends UpdateConfigVarsInput {
  @RefField(APP_REF) app: string;
  @RefField(ENVIRONMENT_REF) environment: string;
  @ExpectedVersionField() expectedVersion?: number;
  @IdempotencyKeyField() idempotencyKey?: string;
  @ClientMutationIdField() clientMutationId?: string;
}
