// GraphQL inputs of the cluster mutations: the REST body's class (and its validation) plus the
// reference REST carries in the path and the transport options REST carries in headers.
import { InputType } from '@nestjs/graphql';
import { ClientMutationIdField, ExpectedVersionField, IdempotencyKeyField, RefField } from '../../../graphql/args.js';
import { RegisterClusterInput, UpdateClusterInput } from './register-cluster.input.js';

const CLUSTER_REF = 'The cluster: its name or id';

@InputType('RegisterClusterInput', { description: 'A cluster to place environments on, with its credentials (POST /v1/clusters)' })
export class RegisterClusterMutationInput extends RegisterClusterInput {
  @IdempotencyKeyField() idempotencyKey?: string;
  @ClientMutationIdField() clientMutationId?: string;
}

@InputType('UpdateClusterInput', { description: "Changes to a cluster's labels or ingress class (PATCH /v1/clusters/{cluster})" })
export class UpdateClusterMutationInput extends UpdateClusterInput {
  @RefField(CLUSTER_REF) cluster: string;
  @ExpectedVersionField() expectedVersion?: number;
  @IdempotencyKeyField() idempotencyKey?: string;
  @ClientMutationIdField() clientMutationId?: string;
}

/** The inputs of the actions on one cluster (cordon, uncordon, probe, drain, delete) are alike. */
function clusterActionInput(name: string, description: string) {
  @InputType(name, { description })
  class ClusterActionInput {
    @RefField(CLUSTER_REF) cluster: string;
    @IdempotencyKeyField() idempotencyKey?: string;
    @ClientMutationIdField() clientMutationId?: string;
  }
  return ClusterActionInput;
}

export const CordonClusterInput = clusterActionInput('CordonClusterInput', 'The cluster to cordon (POST /v1/clusters/{cluster}/cordon)');
export type CordonClusterInput = InstanceType<typeof CordonClusterInput>;
export const UncordonClusterInput = clusterActionInput('UncordonClusterInput', 'The cluster to uncordon (POST /v1/clusters/{cluster}/uncordon)');
export type UncordonClusterInput = InstanceType<typeof UncordonClusterInput>;
export const ProbeClusterInput = clusterActionInput('ProbeClusterInput', 'The cluster to probe now (POST /v1/clusters/{cluster}/probe)');
export type ProbeClusterInput = InstanceType<typeof ProbeClusterInput>;
export const DrainClusterInput = clusterActionInput('DrainClusterInput', 'The cluster to drain (POST /v1/clusters/{cluster}/drain)');
export type DrainClusterInput = InstanceType<typeof DrainClusterInput>;
export const DeleteClusterInput = clusterActionInput('DeleteClusterInput', 'The cluster to forget (DELETE /v1/clusters/{cluster})');
export type DeleteClusterInput = InstanceType<typeof DeleteClusterInput>;
