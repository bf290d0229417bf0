import { Field, Int, ObjectType } from '@nestjs/graphql';
import { Connection } from '../../../graphql/pagination/connection.js';
import { NodeType } from '../../../graphql/nodes/node.type.js';
import { TeamRefType } from '../../teams/models/team.types.js';
import { DateTimeScalar } from '../../../graphql/scalars/date-time.scalar.js';
import { ResourceStateEnum, SecurityProfileEnum } from '../../environments/models/environment.enums.js';
import { EnvironmentLiveStatusType } from '../../environments/models/environment-status.types.js';

@ObjectType('App', { implements: () => [NodeType] })
export class AppType extends NodeType {
  @Field() name: string;
  @Field() description: string;
  @Field(() => TeamRefType) team: TeamRefType;
  @Field(() => ResourceStateEnum) state: string;
  @Field(() => Int) version: number;
  @Field(() => DateTimeScalar, { name: 'createdAt' }) created_at: string;
  @Field(() => DateTimeScalar, { name: 'updatedAt' }) updated_at: string;
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
  @Field(() => Int, { name: 'desiredGeneration' }) desired_generation: number;
  @Field(() => Int, { name: 'appliedGeneration' }) applied_generation: number;
  @Field(() => DateTimeScalar, { name: 'lastAppliedAt', nullable: true }) last_applied_at: string | null;
  @Field(() => String, { name: 'lastError', nullable: true }) last_error: string | null;
}

@ObjectType('Environment', { implements: () => [NodeType] })
export class EnvironmentType extends NodeType {
  @Field() name: string;
  @Field(() => AppRefType) app: AppRefType;
  @Field(() => TeamRefType) team: TeamRefType;
  @Field() namespace: string;
  @Field() production: boolean;
  @Field({ name: 'autoRollback' }) auto_rollback: boolean;
  @Field(() => SecurityProfileEnum, { name: 'securityProfile' }) security_profile: string;
  @Field(() => Int, { name: 'failureRestartThreshold' }) failure_restart_threshold: number;
  @Field(() => Int, { name: 'progressDeadlineSeconds' }) progress_deadline_seconds: number;
  @Field(() => ResourceStateEnum) state: string;
  @Field(() => Int, { name: 'currentRelease', nullable: true }) current_release: number | null;
  @Field(() => ClusterRefType, { nullable: true }) cluster: ClusterRefType | null;
  @Field(() => SyncStatusType) sync: SyncStatusType;
  @Field(() => EnvironmentLiveStatusType, { nullable: true, description: 'Live status as last observed; null before the cluster was first read' }) status: EnvironmentLiveStatusType | null;
  @Field(() => Int) version: number;
  @Field(() => DateTimeScalar, { name: 'createdAt' }) created_at: string;
  @Field(() => DateTimeScalar, { name: 'updatedAt' }) updated_at: string;
}

@ObjectType('AppConnection')
export class AppConnection extends Connection(AppType, 'App') {}

@ObjectType('EnvironmentConnection')
export class EnvironmentConnection extends Connection(EnvironmentType, 'Environment') {}
