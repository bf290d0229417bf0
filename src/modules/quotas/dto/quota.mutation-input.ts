// GraphQL inputs of the quota mutations: the REST body's class (and its validation) plus the
// reference REST carries in the path and the transport options REST carries in headers.
import { InputType } from '@nestjs/graphql';
import { ClientMutationIdField, ExpectedVersionField, IdempotencyKeyField, RefField } from '../../../graphql/args.js';
import { TEAM_REF } from '../../teams/dto/team.mutation-input.js';
import { UpdateQuotaInput } from './update-quota.input.js';

@InputType('UpdateQuotaInput', { description: "New limits of a team's quota; limits left out keep their value (PUT /v1/teams/{team}/quota)" })
export class UpdateQuotaMutationInput extends UpdateQuotaInput {
  @RefField(TEAM_REF) team: string;
  @ExpectedVersionField() expectedVersion?: number;
  @IdempotencyKeyField() idempotencyKey?: string;
  @ClientMutationIdField() clientMutationId?: string;
}

@InputType('RecomputeQuotaInput', { description: "The team whose quota usage to count again from its objects (POST /v1/teams/{team}/quota/recompute)" })
export class RecomputeQuotaMutationInput {
  @RefField(TEAM_REF) team: string;
  @IdempotencyKeyField() idempotencyKey?: string;
  @ClientMutationIdField() clientMutationId?: string;
}
