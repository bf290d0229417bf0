// The Environment object type. Its links (app, team, cluster, releases) are resolved by
// EnvironmentsResolver through the request's loaders.
import { Field, Int, ObjectType } from '@nestjs/graphql';
import { Connection } from '../../../graphql/pagination/connection.js';
import { NodeType } from '../../../graphql/nodes/node.type.js';
import { DateTimeScalar } from '../../../graphql/scalars/date-time.scalar.js';
import { ResourceStateEnum, SecurityProfileEnum } from './environment.enums.js';
import { EnvironmentLiveStatusType } from './environment-status.types.js';

@ObjectType('SyncStatus', { description: 'How far the cluster has been given the desired state' })
export class SyncStatusType {
  @Field(() => Int, { name: 'desiredGeneration', description: 'Changes to desired state so far' }) desired_generation: number;
  @Field(() => Int, { name: 'appliedGeneration', description: 'How many of them the cluster has been given' }) applied_generation: number;
  @Field(() => DateTimeScalar, { name: 'lastAppliedAt', nullable: true, description: 'When desired state was last applied; null before the first apply' }) last_applied_at: string | null;
  @Field(() => String, { name: 'lastError', nullable: true, description: 'Why the last attempt to apply failed (retried with backoff)' }) last_error: string | null;
}

@ObjectType('Environment', { implements: () => [NodeType], description: 'One deployment target of an app (staging, production, …): its own namespace, config, formation and releases' })
export class EnvironmentType extends NodeType {
  @Field({ description: 'Unique within its app' }) name: string;
  @Field({ description: 'Kubernetes namespace: <app>-<environment>' }) namespace: string;
  @Field({ description: 'A production environment (informational; no behaviour depends on it)' }) production: boolean;
  @Field({ name: 'autoRollback', description: 'Roll back to the last succeeded release when a release fails' }) auto_rollback: boolean;
  @Field(() => SecurityProfileEnum, { name: 'securityProfile', description: 'Pod security the workloads run under' }) security_profile: string;
  @Field(() => Int, { name: 'failureRestartThreshold', description: 'Restarts after which a crashing release fails' }) failure_restart_threshold: number;
  @Field(() => Int, { name: 'progressDeadlineSeconds', description: 'Seconds without rollout progress after which a release fails' }) progress_deadline_seconds: number;
  @Field(() => ResourceStateEnum, { description: 'DELETING once deletion was asked for, until the cluster confirms' }) state: string;
  @Field(() => SyncStatusType, { description: 'How far the cluster has been given the desired state' }) sync: SyncStatusType;
  @Field(() => EnvironmentLiveStatusType, { nullable: true, description: 'Live status as last observed; null before the cluster was first read' }) status: EnvironmentLiveStatusType | null;
  @Field(() => Int, { description: 'Optimistic concurrency version (pass as expectedVersion)' }) version: number;
  @Field(() => DateTimeScalar, { name: 'createdAt', description: 'When the environment was created' }) created_at: string;
  @Field(() => DateTimeScalar, { name: 'updatedAt', description: 'When the environment last changed' }) updated_at: string;
}

@ObjectType('EnvironmentConnection', { description: 'A page of environments' })
export class EnvironmentConnection extends Connection(EnvironmentType, 'Environment') {}
