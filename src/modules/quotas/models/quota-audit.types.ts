import { Field, Int, ObjectType } from '@nestjs/graphql';
import { Connection } from '../../../graphql/pagination/connection.js';
import { JSONScalar } from '../../../graphql/scalars/json.scalar.js';
import { DateTimeScalar } from '../../../graphql/scalars/date-time.scalar.js';
import { AuditActorTypeEnum, AuditOutcomeEnum } from '../../audit/models/audit.enums.js';

@ObjectType('QuotaLimits')
export class QuotaLimitsType {
  @Field(() => Int) apps: number;
  @Field(() => Int) environments: number;
  @Field(() => Int, { name: 'cpuMillis' }) cpu_millis: number;
  @Field(() => Int, { name: 'memoryMib' }) memory_mib: number;
  @Field(() => Int, { name: 'replicasPerProcess' }) replicas_per_process: number;
  @Field(() => Int, { name: 'releasesRetained' }) releases_retained: number;
}

@ObjectType('QuotaUsage')
export class QuotaUsageType {
  @Field(() => Int) apps: number;
  @Field(() => Int) environments: number;
  @Field(() => Int, { name: 'cpuMillis' }) cpu_millis: number;
  @Field(() => Int, { name: 'memoryMib' }) memory_mib: number;
}

@ObjectType('Quota')
export class QuotaType {
  @Field({ name: 'teamId' }) team_id: string;
  @Field(() => QuotaLimitsType) limits: QuotaLimitsType;
  @Field(() => QuotaUsageType) usage: QuotaUsageType;
  @Field(() => Int) version: number;
  @Field(() => DateTimeScalar, { name: 'updatedAt' }) updated_at: string;
}

@ObjectType('AuditActor')
export class AuditActorType {
  @Field(() => AuditActorTypeEnum) type: string;
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
  @Field(() => DateTimeScalar, { name: 'occurredAt' }) occurred_at: string;
  @Field(() => AuditActorType) actor: AuditActorType;
  @Field(() => String, { name: 'teamId', nullable: true }) team_id: string | null;
  @Field() action: string;
  @Field(() => AuditTargetType) target: AuditTargetType;
  @Field(() => String, { name: 'environmentId', nullable: true }) environment_id: string | null;
  @Field(() => String, { name: 'requestId', nullable: true }) request_id: string | null;
  @Field(() => String, { name: 'idempotencyKey', nullable: true }) idempotency_key: string | null;
  @Field(() => String, { name: 'sourceIp', nullable: true }) source_ip: string | null;
  @Field(() => String, { name: 'userAgent', nullable: true }) user_agent: string | null;
  @Field(() => AuditOutcomeEnum) outcome: string;
  @Field(() => JSONScalar, { nullable: true }) change: unknown;
  @Field({ name: 'prevHash' }) prev_hash: string;
  @Field() hash: string;
}

@ObjectType('AuditVerifyResult')
export class VerifyResultType {
  @Field() valid: boolean;
  @Field(() => Int) checked: number;
  @Field(() => String, { name: 'headSeq', nullable: true }) head_seq: string | null;
  @Field(() => JSONScalar, { nullable: true }) problem: unknown;
  @Field(() => JSONScalar, { description: 'How the log compares with the signed checkpoints written outside the database' }) checkpoints: unknown;
}

@ObjectType('AuditSignedHead')
export class SignedHeadType {
  @Field() seq: string;
  @Field() hash: string;
  @Field(() => DateTimeScalar, { name: 'exportedAt' }) exported_at: string;
  @Field() algorithm: string;
  @Field({ name: 'keyId' }) key_id: string;
  @Field() signature: string;
  @Field({ name: 'publicKey' }) public_key: string;
}

@ObjectType('AuditEventConnection')
export class AuditEventConnection extends Connection(AuditEventType, 'AuditEvent') {}
