import { Field, Int, ObjectType } from '@nestjs/graphql';
import { NodeType } from '../../../graphql/nodes/node.type.js';
import { Connection } from '../../../graphql/pagination/connection.js';
import { JSONScalar } from '../../../graphql/scalars/json.scalar.js';
import { DateTimeScalar } from '../../../graphql/scalars/date-time.scalar.js';

@ObjectType('ClusterHealth')
export class ClusterHealthType {
  @Field() reachable: boolean;
  @Field(() => String, { name: 'serverVersion', nullable: true }) server_version: string | null;
  @Field(() => String, { name: 'lastError', nullable: true }) last_error: string | null;
  @Field(() => DateTimeScalar, { name: 'lastProbedAt', nullable: true }) last_probed_at: string | null;
}

/** Never carries credentials. */
@ObjectType('Cluster', { implements: () => [NodeType] })
export class ClusterType extends NodeType {
  @Field() name: string;
  @Field({ name: 'apiUrl' }) api_url: string;
  @Field(() => JSONScalar) labels: Record<string, string>;
  @Field() sandbox: boolean;
  @Field() cordoned: boolean;
  @Field(() => String, { name: 'ingressClassName', nullable: true }) ingress_class_name: string | null;
  @Field(() => ClusterHealthType) health: ClusterHealthType;
  @Field(() => Int) environments: number;
  @Field(() => Int) version: number;
  @Field(() => DateTimeScalar, { name: 'createdAt' }) created_at: string;
  @Field(() => DateTimeScalar, { name: 'updatedAt' }) updated_at: string;
}

@ObjectType('ClusterConnection')
export class ClusterConnection extends Connection(ClusterType, 'Cluster') {}

@ObjectType('DrainResult')
export class DrainResultType {
  @Field(() => Int) moved: number;
  @Field(() => Int) stranded: number;
  @Field(() => ClusterType) cluster: ClusterType;
}

@ObjectType('Size')
export class SizeType {
  @Field() name: string;
  @Field() description: string;
  @Field({ name: 'cpuRequest' }) cpu_request: string;
  @Field({ name: 'cpuLimit' }) cpu_limit: string;
  @Field({ name: 'memoryRequest' }) memory_request: string;
  @Field({ name: 'memoryLimit' }) memory_limit: string;
}

@ObjectType('DriftEvent')
export class DriftEventType {
  @Field() object: string;
  @Field() kind: string;
  @Field(() => DateTimeScalar, { name: 'detectedAt' }) detected_at: string;
}

@ObjectType('LogLine')
export class LogLineType {
  @Field() pod: string;
  @Field(() => String, { name: 'processType', nullable: true }) process_type: string | null;
  @Field() line: string;
}
