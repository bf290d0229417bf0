// The Quota object type.
import { Field, Int, ObjectType } from '@nestjs/graphql';
import { DateTimeScalar } from '../../../graphql/scalars/date-time.scalar.js';

@ObjectType('QuotaLimits', { description: "What a team may use at most; a change beyond them is refused" })
export class QuotaLimitsType {
  @Field(() => Int, { description: 'Apps' }) apps: number;
  @Field(() => Int, { description: 'Environments, over all apps' }) environments: number;
  @Field(() => Int, { name: 'cpuMillis', description: 'CPU requests of every replica together, in millicores' }) cpu_millis: number;
  @Field(() => Int, { name: 'memoryMib', description: 'Memory requests of every replica together, in MiB' }) memory_mib: number;
  @Field(() => Int, { name: 'replicasPerProcess', description: 'Replicas of one process type' }) replicas_per_process: number;
  @Field(() => Int, { name: 'releasesRetained', description: 'Releases kept per environment (older ones are pruned)' }) releases_retained: number;
}

@ObjectType('QuotaUsage', { description: 'What a team uses now' })
export class QuotaUsageType {
  @Field(() => Int, { description: 'Apps' }) apps: number;
  @Field(() => Int, { description: 'Environments, over all apps' }) environments: number;
  @Field(() => Int, { name: 'cpuMillis', description: 'CPU requests of every replica together, in millicores' }) cpu_millis: number;
  @Field(() => Int, { name: 'memoryMib', description: 'Memory requests of every replica together, in MiB' }) memory_mib: number;
}

@ObjectType('Quota', { description: "A team's limits and usage" })
export class QuotaType {
  @Field({ name: 'teamId', description: 'The team' }) team_id: string;
  @Field(() => QuotaLimitsType, { description: 'What the team may use' }) limits: QuotaLimitsType;
  @Field(() => QuotaUsageType, { description: 'What it uses now' }) usage: QuotaUsageType;
  @Field(() => Int, { description: 'Optimistic concurrency version (pass as expectedVersion)' }) version: number;
  @Field(() => DateTimeScalar, { name: 'updatedAt', description: 'When limits or usage last changed' }) updated_at: string;
}
