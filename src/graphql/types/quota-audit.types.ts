import { Field, Int, ObjectType } from '@nestjs/graphql';
import { Connection } from '../pagination/connection.js';
import { JSONScalar } from './json.scalar.js';

@ObjectType('QuotaLimits')
export class QuotaLimitsType {
  @Field(() => Int) apps: number;
  @Field(() => Int) environments: number;
  @Field(() => Int) cpu_millis: number;
  @Field(() => Int) memory_mib: number;
  @Field(() => Int) replicas_per_process: number;
  @Field(() => Int) releases_retained: number;
}

@ObjectType('QuotaUsage')
export class QuotaUsageType {
  @Field(() => Int) apps: number;
  @Field(() => Int) environments: number;
  @Field(() => Int) cpu_millis: number;
  @Field(() => Int) memory_mib: number;
}

@ObjectType('Quota')
export class QuotaType {
  @Field() team_id: string;
  @Field(() => QuotaLimitsType) limits: QuotaLimitsType;
  @Field(() => QuotaUsageType) usage: QuotaUsageType;
  @Field(() => Int) version: number;
  @Field() updated_at: string;
}

@ObjectType('AuditActor')
export class AuditActorType {
  @Field() type: string;
  @Field(() => String, { nullable: true }) id: string | null;
  @Field(() => String, { nullable: true }) name: string | null;
}

@ObjectType('AuditTarget')
export class AuditTargetType {
  @Field(() => String, { nullable: true }) type: string | null;
  @Field(() => String, { nullable: true }) id: string | null;
  @Field(() => String, { nullable: true }) name: string | null;
}

@ObjectType('AuditEvent')
export class AuditEventType {
  @Field({ description: 'Gap-free sequence number (64-bit, as a string)' }) seq: string;
  @Field() occurred_at: string;
  @Field(() => AuditActorType) actor: AuditActorType;
  @Field(() => String, { nullable: true }) team_id: string | null;
  @Field() action: string;
  @Field(() => AuditTargetType) target: AuditTargetType;
  @Field(() => String, { nullable: true }) environment_id: string | null;
  @Field(() => String, { nullable: true }) request_id: string | null;
  @Field(() => String, { nullable: true }) idempotency_key: string | null;
  @Field(() => String, { nullable: true }) source_ip: string | null;
  @Field(() => String, { nullable: true }) user_agent: string | null;
  @Field() outcome: string;
  @Field(() => JSONScalar, { nullable: true }) change: unknown;
  @Field() prev_hash: string;
  @Field() hash: string;
}

@ObjectType('AuditVerifyResult')
export class VerifyResultType {
  @Field() valid: boolean;
  @Field(() => Int) checked: number;
  @Field(() => String, { nullable: true }) head_seq: string | null;
  @Field(() => JSONScalar, { nullable: true }) problem: unknown;
  @Field(() => JSONScalar, { description: 'How the log compares with the signed checkpoints written outside the database' }) checkpoints: unknown;
}

@ObjectType('AuditSignedHead')
export class SignedHeadType {
  @Field() seq: string;
  @Field() hash: string;
  @Field() exported_at: string;
  @Field() algorithm: string;
  @Field() key_id: string;
  @Field() signature: string;
  @Field() public_key: string;
}

@ObjectType('AuditEventConnection')
export class AuditEventConnection extends Connection(AuditEventType, 'AuditEvent') {}
