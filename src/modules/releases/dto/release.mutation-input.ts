// GraphQL input of createRelease: the REST body's class (and its validation) plus the references
// REST carries in the path and the transport options REST carries in headers.
import { InputType } from '@nestjs/graphql';
import { ClientMutationIdField, IdempotencyKeyField, RefField } from '../../../graphql/args.js';
import { APP_REF } from '../../apps/dto/app.mutation-input.js';
import { ENVIRONMENT_REF } from '../../environments/dto/environment.mutation-input.js';
import { CreateReleaseInput } from './create-release.input.js';

@InputType('CreateReleaseInput', { description: 'A deploy (image) or a rollback (rollbackTo): either one, not both (POST /v1/apps/{app}/environments/{env}/releases)' })
export class CreateReleaseMutationInput extends CreateReleaseInput {
  @RefField(APP_REF) app: string;
  @RefField(ENVIRONMENT_REF) environment: string;
  @IdempotencyKeyField() idempotencyKey?: string;
  @ClientMutationIdField() clientMutationId?: string;
}
