import { Field, Int, ObjectType } from '@nestjs/graphql';
import { NodeType } from '../../../graphql/nodes/node.type.js';
import { Connection } from '../../../graphql/pagination/connection.js';
import { JSONScalar } from '../../../graphql/scalars/json.scalar.js';
import { DateTimeScalar } from '../../../graphql/scalars/date-time.scalar.js';

@ObjectType('ClusterHealth', { description: 'What the last probe of the cluster found' })
export class ClusterHealthType {
  @Field({ description: 'The API server answered the last probe' }) reachable: boolean;
  @Field(() => String, { name: 'serverVersion', nullable: true, description: 'Kubernetes version the API server reported' }) server_version: string | null;
  @Field(() => String, { name: 'lastError', nullable: true, description: 'Why the last probe failed' }) last_error: string | null;
  @Field(() => DateTimeScalar, { name: 'lastProbedAt', nullable: true, description: 'When it was last probed' }) last_probed_at: string | null;
}

/**
 * Never carries credentials. Visibility: platform admins read every field; a team member reaches
 * the cluster their environment is placed on (Environment.cluster) and reads its public fields
 * (name, labels, sandbox, cordoned, ingress class, dates); apiUrl, health and environments answer
 * null with a FORBIDDEN error for them (resolved in ClustersResolver).
 */
@ObjectType('Cluster', {
  implements: () => [NodeType],
  description: 'A Kubernetes cluster environments are placed on. Team members see the public fields of the cluster their environment runs on; apiUrl, health and environments are for platform admins',
})
export class ClusterType extends NodeType {
  @Field({ description: 'Unique name' }) name: string;
  @Field(() => JSONScalar, { description: 'Label map (name → value) that environments select clusters by' }) labels: Record<string, string>;
  @Field({ description: 'A simulated cluster (sandbox), not a real one' }) sandbox: boolean;
  @Field({ description: 'Cordoned clusters take no new environments' }) cordoned: boolean;
  @Field(() => String, { name: 'ingressClassName', nullable: true, description: "The ingress class domains are routed with; null: the cluster's default" }) ingress_class_name: string | null;
  @Field(() => Int, { description: 'Optimistic concurrency version (pass as expectedVersion)' }) version: number;
  @Field(() => DateTimeScalar, { name: 'createdAt', description: 'When the cluster was registered' }) created_at: string;
  @Field(() => DateTimeScalar, { name: 'updatedAt', description: 'When its registration last changed' }) updated_at: string;
}

@ObjectType('ClusterConnection', { description: 'A page of clusters' })
export class ClusterConnection extends Connection(ClusterType, 'Cluster') {}

@ObjectType('DrainResult', { description: 'What draining a cluster did' })
export class DrainResultType {
  @Field(() => Int, { description: 'Environments moved to other clusters' }) moved: number;
  @Field(() => Int, { description: 'Environments left because no other cluster could take them' }) stranded: number;
  @Field(() => ClusterType, { description: 'The drained (and cordoned) cluster' }) cluster: ClusterType;
}

@ObjectType('Size', { description: 'A process size: the CPU and memory requests and limits of each replica' })
export class SizeType {
  @Field({ description: 'What formation names it by' }) name: string;
  @Field({ description: 'For people' }) description: string;
  @Field({ name: 'cpuRequest', description: 'Kubernetes quantity' }) cpu_request: string;
  @Field({ name: 'cpuLimit', description: 'Kubernetes quantity' }) cpu_limit: string;
  @Field({ name: 'memoryRequest', description: 'Kubernetes quantity' }) memory_request: string;
  @Field({ name: 'memoryLimit', description: 'Kubernetes quantity' }) memory_limit: string;
}

@ObjectType('DriftEvent', { description: 'An object on the cluster found changed or missing and put back' })
export class DriftEventType {
  @Field({ description: 'The object (kind/name)' }) object: string;
  @Field({ description: 'What was wrong: changed or missing' }) kind: string;
  @Field(() => DateTimeScalar, { name: 'detectedAt', description: 'When the resync found it' }) detected_at: string;
}

@ObjectType('LogLine', { description: 'One line a pod wrote' })
export class LogLineType {
  @Field({ description: 'The pod that wrote it' }) pod: string;
  @Field(() => String, { name: 'processType', nullable: true, description: "The pod's process type" }) process_type: string | null;
  @Field({ description: 'The line, without its newline' }) line: string;
}
