// GraphQL inputs of the registry credential mutations: the REST body's class (and its validation)
// plus the reference REST carries in the path and the transport options REST carries in headers.
import { InputType } from '@nestjs/graphql';
import { ClientMutationIdField, IdempotencyKeyField, RefField } from '../../../graphql/args.js';
import { TEAM_REF } from '../../teams/dto/team.mutation-input.js';
import { PutRegistryCredentialInput } from './registry-credential.input.js';

@InputType('PutRegistryCredentialInput', { description: "A team's login for a container registry; the password is write-only (PUT /v1/teams/{team}/registry-credentials/{registry})" })
export class PutRegistryCredentialMutationInput extends PutRegistryCredentialInput {
  @RefField(TEAM_REF) team: string;
  @IdempotencyKeyField() idempotencyKey?: string;
  @ClientMutationIdField() clientMutationId?: string;
}

@InputType('DeleteRegistryCredentialInput', { description: 'The registry login to forget (DELETE /v1/teams/{team}/registry-credentials/{registry})' })
export class DeleteRegistryCredentialMutationInput {
  @RefField(TEAM_REF) team: string;
  @RefField('Registry host (and port), as it appears in image references') registry: string;
  @IdempotencyKeyField() idempotencyKey?: string;
  @ClientMutationIdField() clientMutationId?: string;
}
