// An environment's live status over GraphQL, typed (REST: EnvironmentStatusModel): what the cluster
// last reported, with the phase model's enums.
import { Field, Int, ObjectType } from '@nestjs/graphql';
import { DateTimeScalar } from '../../../graphql/scalars/date-time.scalar.js';
import { ReleasePhaseEnum, ReleaseReasonEnum } from '../../releases/models/release.enums.js';

@ObjectType('ProcessStatus', { description: 'Replica counts of one process type as the cluster reports them' })
export class ProcessStatusType {
  @Field() type: string;
  @Field(() => Int) desired: number;
  @Field(() => Int) ready: number;
  @Field(() => Int) updated: number;
  @Field(() => Int) available: number;
}

@ObjectType('PodSummary', { description: 'One pod as last observed' })
export class PodSummaryType {
  @Field() name: string;
  @Field(() => String, { name: 'processType', nullable: true }) process_type: string | null;
  @Field(() => Int, { nullable: true, description: 'The release the pod runs' }) release: number | null;
  @Field({ description: 'The Kubernetes pod phase (Pending, Running, Succeeded, Failed, Unknown)' }) phase: string;
  @Field() ready: boolean;
  @Field(() => Int) restarts: number;
  @Field(() => String, { nullable: true, description: 'Why a container is waiting, as Kubernetes says it' }) reason: string | null;
}

@ObjectType('EnvironmentLiveStatus', { description: 'The environment as its cluster last reported it' })
export class EnvironmentLiveStatusType {
  @Field(() => ReleasePhaseEnum) phase: string;
  @Field(() => ReleaseReasonEnum, { nullable: true }) reason: string | null;
  @Field(() => String, { nullable: true }) message: string | null;
  @Field(() => Int, { nullable: true, description: 'The release the environment is converging to' }) release: number | null;
  @Field(() => [ProcessStatusType]) processes: ProcessStatusType[];
  @Field(() => [PodSummaryType]) pods: PodSummaryType[];
  @Field(() => DateTimeScalar, { name: 'observedAt', nullable: true, description: 'When Berth last read this from the cluster' }) observed_at: string | null;
  @Field({ description: 'False until the cluster has been read again since Berth started or lost contact with it' }) verified: boolean;
}
