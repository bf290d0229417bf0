import { Field, Int, ObjectType } from '@nestjs/graphql';
import { Connection } from '../pagination/connection.js';
import { JSONScalar } from './json.scalar.js';
import { NodeType } from './node.type.js';
import { TeamRefType } from './team.types.js';

@ObjectType('App', { implements: () => [NodeType] })
export class AppType extends NodeType {
  @Field() name: string;
  @Field() description: string;
  @Field(() => TeamRefType) team: TeamRefType;
  @Field() state: string;
  @Field(() => Int) version: number;
  @Field() created_at: string;
  @Field() updated_at: string;
}

@ObjectType('AppRef')
export class AppRefType {
  @Field() id: string;
  @Field() name: string;
}

@ObjectType('ClusterRef')
export class ClusterRefType {
  @Field() id: string;
  @Field() name: string;
}

@ObjectType('SyncStatus')
export class SyncStatusType {
  @Field(() => Int) desired_generation: number;
  @Field(() => Int) applied_generation: number;
  @Field(() => String, { nullable: true }) last_applied_at: string | null;
  @Field(() => String, { nullable: true }) last_error: string | null;
}

@ObjectType('Environment', { implements: () => [NodeType] })
export class EnvironmentType extends NodeType {
  @Field() name: string;
  @Field(() => AppRefType) app: AppRefType;
  @Field(() => TeamRefType) team: TeamRefType;
  @Field() namespace: string;
  @Field() production: boolean;
  @Field() auto_rollback: boolean;
  @Field() security_profile: string;
  @Field(() => Int) failure_restart_threshold: number;
  @Field(() => Int) progress_deadline_seconds: number;
  @Field() state: string;
  @Field(() => Int, { nullable: true }) current_release: number | null;
  @Field(() => ClusterRefType, { nullable: true }) cluster: ClusterRefType | null;
  @Field(() => SyncStatusType) sync: SyncStatusType;
  @Field(() => JSONScalar, { nullable: true, description: 'Live status as last observed' }) status: unknown;
  @Field(() => Int) version: number;
  @Field() created_at: string;
  @Field() updated_at: string;
}

@ObjectType('AppConnection')
export class AppConnection extends Connection(AppType, 'App') {}

@ObjectType('EnvironmentConnection')
export class EnvironmentConnection extends Connection(EnvironmentType, 'Environment') {}
