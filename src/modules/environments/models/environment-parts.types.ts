import { Field, Int, ObjectType } from '@nestjs/graphql';
import { Connection } from '../../../graphql/pagination/connection.js';
import { JSONScalar } from '../../../graphql/scalars/json.scalar.js';
import { NodeType } from '../../../graphql/nodes/node.type.js';
import { DateTimeScalar } from '../../../graphql/scalars/date-time.scalar.js';

@ObjectType('ConfigVars', { description: "An environment's config vars (reading them is audited)" })
export class ConfigVarsType {
  @Field(() => JSONScalar, { description: 'Name → value' }) vars: Record<string, string>;
  @Field(() => Int, { description: 'Version of the environment' }) version: number;
}

@ObjectType('ConfigVarsUpdate', { description: 'Config vars after a change, and the release the change made' })
export class ConfigVarsUpdateType extends ConfigVarsType {
  @Field(() => Int, { nullable: true, description: 'Release this change created' }) release: number | null;
}

@ObjectType('Autoscaling', { description: 'Replica bounds and CPU target of a horizontally autoscaled process type' })
export class AutoscalingType {
  @Field(() => Int, { description: 'Fewest replicas' }) min: number;
  @Field(() => Int, { description: 'Most replicas' }) max: number;
  @Field(() => Int, { name: 'targetCpu', description: 'Average CPU use to aim for, in percent of the request' }) target_cpu: number;
}

@ObjectType('ProcessTypeSnapshot', { description: 'A process type as a release recorded it' })
export class ProcessTypeSnapshotType {
  @Field({ description: 'Process type name (web, worker, …)' }) type: string;
  @Field(() => String, { nullable: true, description: "Command to run; null: the image's own" }) command: string | null;
  @Field(() => Int, { description: 'Replicas (the minimum when autoscaled)' }) replicas: number;
  @Field({ description: 'Size name (see sizes)' }) size: string;
  @Field(() => AutoscalingType, { nullable: true, description: 'Autoscaling; null: a fixed number of replicas' }) autoscaling: AutoscalingType | null;
  @Field(() => Int, { nullable: true, description: 'Port it listens on; null: not reachable over HTTP' }) port: number | null;
  @Field(() => String, { name: 'healthCheckPath', nullable: true, description: 'HTTP path probed for readiness' }) health_check_path: string | null;
}

@ObjectType('ProcessType', { description: "One process type of an environment's formation" })
export class ProcessTypeType extends ProcessTypeSnapshotType {
  @Field(() => Int, { description: 'Optimistic concurrency version of this process type' }) version: number;
  @Field(() => DateTimeScalar, { name: 'updatedAt', description: 'When it last changed' }) updated_at: string;
}

@ObjectType('Formation', { description: 'The process types of an environment: what runs, how many and how big' })
export class FormationType {
  @Field(() => [ProcessTypeType], { name: 'processTypes', description: 'Every process type, by name' }) process_types: ProcessTypeType[];
  @Field(() => Int, { description: 'The environment\'s version (pass as expectedVersion)' }) version: number;
}

@ObjectType('Domain', { implements: () => [NodeType], description: 'A hostname routed to an environment (unique in the installation)' })
export class DomainType extends NodeType {
  @Field({ description: 'The hostname' }) hostname: string;
  @Field(() => DateTimeScalar, { name: 'createdAt', description: 'When it was added' }) created_at: string;
}

@ObjectType('DomainConnection', { description: "A page of an environment's domains" })
export class DomainConnection extends Connection(DomainType, 'Domain') {}
