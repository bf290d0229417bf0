// GraphQL inputs of the app mutations: the REST body's class (and its validation) plus the
// references REST carries in the path and the transport options REST carries in headers.
import { InputType } from '@nestjs/graphql';
import { ClientMutationIdField, ExpectedVersionField, IdempotencyKeyField, RefField } from '../../../graphql/args.js';
import { CreateAppInput, UpdateAppInput } from './create-app.input.js';

export const APP_REF = 'The app: its name or id';

@InputType('CreateAppInput', { description: 'A new app in a team (POST /v1/apps)' })
export class CreateAppMutationInput extends CreateAppInput {
  @IdempotencyKeyField() idempotencyKey?: string;
  @ClientMutationIdField() clientMutationId?: string;
}

@InputType('UpdateAppInput', { description: "Changes to an app's settings (PATCH /v1/apps/{app})" })
export class UpdateAppMutationInput extends UpdateAppInput {
  @RefField(APP_REF) app: string;
  @ExpectedVersionField() expectedVersion?: number;
  @IdempotencyKeyField() idempotencyKey?: string;
  @ClientMutationIdField() clientMutationId?: string;
}

@InputType('DeleteAppInput', { description: 'The app to delete (DELETE /v1/apps/{app})' })
export class DeleteAppMutationInput {
  @RefField(APP_REF) app: string;
  @IdempotencyKeyField() idempotencyKey?: string;
  @ClientMutationIdField() clientMutationId?: string;
}
