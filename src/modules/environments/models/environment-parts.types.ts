import { Field, Int, ObjectType } from '@nestjs/graphql';
import { Connection } from '../../../graphql/pagination/connection.js';
import { JSONScalar } from '../../../graphql/scalars/json.scalar.js';
import { NodeType } from '../../../graphql/nodes/node.type.js';
import { DateTimeScalar } from '../../../graphql/scalars/date-time.scalar.js';

@ObjectType('ConfigVars')
export class ConfigVarsType {
  @Field(() => JSONScalar, { description: 'Name → value' }) vars: Record<string, string>;
  @Field(() => Int, { description: 'Version of the environment' }) version: number;
}

@ObjectType('ConfigVarsUpdate')
export class ConfigVarsUpdateType extends ConfigVarsType {
  @Field(() => Int, { nullable: true, description: 'Release this change created' }) release: number | null;
}

@ObjectType('Autoscaling')
export class AutoscalingType {
  @Field(() => Int) min: number;
  @Field(() => Int) max: number;
  @Field(() => Int, { name: 'targetCpu' }) target_cpu: number;
}

@ObjectType('ProcessTypeSnapshot')
export class ProcessTypeSnapshotType {
  @Field() type: string;
  @Field(() => String, { nullable: true }) command: string | null;
  @Field(() => Int) replicas: number;
  @Field() size: string;
  @Field(() => AutoscalingType, { nullable: true }) autoscaling: AutoscalingType | null;
  @Field(() => Int, { nullable: true }) port: number | null;
  @Field(() => String, { name: 'healthCheckPath', nullable: true }) health_check_path: string | null;
}

@ObjectType('ProcessType')
export class ProcessTypeType extends ProcessTypeSnapshotType {
  @Field(() => Int) version: number;
  @Field(() => DateTimeScalar, { name: 'updatedAt' }) updated_at: string;
}

@ObjectType('Formation')
export class FormationType {
  @Field(() => [ProcessTypeType], { name: 'processTypes' }) process_types: ProcessTypeType[];
  @Field(() => Int, { description: 'The environment\'s version (pass as expectedVersion)' }) version: number;
}

@ObjectType('Domain', { implements: () => [NodeType] })
export class DomainType extends NodeType {
  @Field() hostname: string;
  @Field(() => DateTimeScalar, { name: 'createdAt' }) created_at: string;
}

@ObjectType('DomainConnection')
export class DomainConnection extends Connection(DomainType, 'Domain') {}
