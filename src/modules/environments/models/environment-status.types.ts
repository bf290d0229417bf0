// An environment's live status over GraphQL, typed (REST: EnvironmentStatusModel): what the cluster
// last reported, with the phase model's enums.
import { Field, Int, ObjectType } from '@nestjs/graphql';
import { DateTimeScalar } from '../../../graphql/scalars/date-time.scalar.js';
import { ReleasePhaseEnum, ReleaseReasonEnum } from '../../releases/models/release.enums.js';

@ObjectType('ProcessStatus', { description: 'Replica counts of one process type as the cluster reports them' })
export class ProcessStatusType {
  @Field({ description: 'Process type name (web, worker, …)' }) type: string;
  @Field(() => Int, { description: 'Replicas asked for' }) desired: number;
  @Field(() => Int, { description: 'Replicas passing their readiness check' }) ready: number;
  @Field(() => Int, { description: 'Replicas running the newest release' }) updated: number;
  @Field(() => Int, { description: 'Replicas ready long enough to take traffic' }) available: number;
}

@ObjectType('PodSummary', { description: 'One pod as last observed' })
export class PodSummaryType {
  @Field({ description: 'Pod name' }) name: string;
  @Field(() => String, { name: 'processType', nullable: true, description: 'The process type it runs' }) process_type: string | null;
  @Field(() => Int, { nullable: true, description: 'The release the pod runs' }) release: number | null;
  @Field({ description: 'The Kubernetes pod phase (Pending, Running, Succeeded, Failed, Unknown)' }) phase: string;
  @Field({ description: 'All its containers are ready' }) ready: boolean;
  @Field(() => Int, { description: 'Container restarts so far' }) restarts: number;
  @Field(() => String, { nullable: true, description: 'Why a container is waiting, as Kubernetes says it' }) reason: string | null;
}

@ObjectType('EnvironmentLiveStatus', { description: 'The environment as its cluster last reported it' })
export class EnvironmentLiveStatusType {
  @Field(() => ReleasePhaseEnum, { description: 'The phase model of releases (docs/releases.md)' }) phase: string;
  @Field(() => ReleaseReasonEnum, { nullable: true, description: 'Machine-readable cause; null only when succeeded' }) reason: string | null;
  @Field(() => String, { nullable: true, description: 'What is happening or went wrong, and what to do' }) message: string | null;
  @Field(() => Int, { nullable: true, description: 'The release the environment is converging to' }) release: number | null;
  @Field(() => [ProcessStatusType], { description: 'Replica counts per process type' }) processes: ProcessStatusType[];
  @Field(() => [PodSummaryType], { description: 'The pods as last observed' }) pods: PodSummaryType[];
  @Field(() => DateTimeScalar, { name: 'observedAt', nullable: true, description: 'When Berth last read this from the cluster' }) observed_at: string | null;
  @Field({ description: 'False until the cluster has been read again since Berth started or lost contact with it' }) verified: boolean;
}
