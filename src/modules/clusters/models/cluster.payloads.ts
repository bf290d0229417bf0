// Payloads of the cluster mutations (graphql/mutation-payload.ts).
import { DeletePayload, MutationPayload } from '../../../graphql/mutation-payload.js';
import { ClusterType, DrainResultType } from './cluster.types.js';

export const RegisterClusterPayload = MutationPayload('RegisterClusterPayload', 'The cluster registered', 'cluster', () => ClusterType, 'The new cluster, with its first probe');
export const UpdateClusterPayload = MutationPayload('UpdateClusterPayload', 'The cluster changed', 'cluster', () => ClusterType, 'The cluster as changed, with its new version');
export const CordonClusterPayload = MutationPayload('CordonClusterPayload', 'The cluster cordoned', 'cluster', () => ClusterType, 'The cluster, now taking no new environments');
export const UncordonClusterPayload = MutationPayload('UncordonClusterPayload', 'The cluster uncordoned', 'cluster', () => ClusterType, 'The cluster, taking new environments again');
export const ProbeClusterPayload = MutationPayload('ProbeClusterPayload', 'The cluster probed', 'cluster', () => ClusterType, 'The cluster with the health this probe found');
export const DrainClusterPayload = MutationPayload('DrainClusterPayload', 'The cluster drained', 'drain', () => DrainResultType, 'The cordoned cluster and the environments moved off it or stranded');
export const DeleteClusterPayload = DeletePayload('DeleteClusterPayload', 'The cluster forgotten', 'Cluster');
