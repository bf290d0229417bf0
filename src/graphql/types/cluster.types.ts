import { Field, Int, ObjectType } from '@nestjs/graphql';
import { Connection } from '../pagination/connection.js';
import { JSONScalar } from './json.scalar.js';

@ObjectType('ClusterHealth')
export class ClusterHealthType {
  @Field() reachable: boolean;
  @Field(() => String, { nullable: true }) server_version: string | null;
  @Field(() => String, { nullable: true }) last_error: string | null;
  @Field(() => String, { nullable: true }) last_probed_at: string | null;
}

/** Never carries credentials. */
@ObjectType('Cluster')
export class ClusterType {
  @Field() id: string;
  @Field() name: string;
  @Field() api_url: string;
  @Field(() => JSONScalar) labels: Record<string, string>;
  @Field() sandbox: boolean;
  @Field() cordoned: boolean;
  @Field(() => String, { nullable: true }) ingress_class_name: string | null;
  @Field(() => ClusterHealthType) health: ClusterHealthType;
  @Field(() => Int) environments: number;
  @Field(() => Int) version: number;
  @Field() created_at: string;
  @Field() updated_at: string;
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
  @Field() cpu_request: string;
  @Field() cpu_limit: string;
  @Field() memory_request: string;
  @Field() memory_limit: string;
}

@ObjectType('DriftEvent')
export class DriftEventType {
  @Field() object: string;
  @Field() kind: string;
  @Field() detected_at: string;
}

@ObjectType('LogLine')
export class LogLineType {
  @Field() pod: string;
  @Field(() => String, { nullable: true }) process_type: string | null;
  @Field() line: string;
}
