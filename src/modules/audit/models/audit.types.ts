// Audit object types: events (a Node, its uuid the sequence number), verification and the signed head.
import { Field, Int, ObjectType } from '@nestjs/graphql';
import { Connection } from '../../../graphql/pagination/connection.js';
import { NodeType } from '../../../graphql/nodes/node.type.js';
import { JSONScalar } from '../../../graphql/scalars/json.scalar.js';
import { DateTimeScalar } from '../../../graphql/scalars/date-time.scalar.js';
import { AuditActorTypeEnum, AuditOutcomeEnum } from './audit.enums.js';

@ObjectType('AuditActor', { description: 'Who acted' })
export class AuditActorType {
  @Field(() => AuditActorTypeEnum, { description: 'A user, a token, or Berth itself' }) type: string;
  @Field(() => String, { nullable: true, description: 'The user or token id' }) id: string | null;
  @Field(() => String, { nullable: true, description: 'Their e-mail address or description, as it was then' }) name: string | null;
}

@ObjectType('AuditTarget', { description: 'What was acted on' })
export class AuditTargetType {
  @Field(() => String, { nullable: true, description: 'Kind of object (app, environment, release, …)' }) type: string | null;
  @Field(() => String, { nullable: true, description: 'Its id' }) id: string | null;
  @Field(() => String, { nullable: true, description: 'Its name, as it was then' }) name: string | null;
}

@ObjectType('AuditEvent', { implements: () => [NodeType], description: 'One entry of the hash-chained audit log (its uuid is the sequence number, which REST uses)' })
export class AuditEventType extends NodeType {
  @Field({ description: 'Gap-free sequence number (64-bit, as a string)' }) seq: string;
  @Field(() => DateTimeScalar, { name: 'occurredAt', description: 'When it happened' }) occurred_at: string;
  @Field(() => AuditActorType, { description: 'Who acted' }) actor: AuditActorType;
  @Field(() => String, { name: 'teamId', nullable: true, description: 'The team whose object it concerns; null for platform-wide actions' }) team_id: string | null;
  @Field({ description: 'What was done, such as release.create' }) action: string;
  @Field(() => AuditTargetType, { description: 'What it was done to' }) target: AuditTargetType;
  @Field(() => String, { name: 'environmentId', nullable: true, description: 'The environment it concerns, if any' }) environment_id: string | null;
  @Field(() => String, { name: 'requestId', nullable: true, description: 'The request that did it' }) request_id: string | null;
  @Field(() => String, { name: 'idempotencyKey', nullable: true, description: 'The Idempotency-Key the request carried' }) idempotency_key: string | null;
  @Field(() => String, { name: 'sourceIp', nullable: true, description: 'Client address' }) source_ip: string | null;
  @Field(() => String, { name: 'userAgent', nullable: true, description: 'Client User-Agent' }) user_agent: string | null;
  @Field(() => AuditOutcomeEnum, { description: 'Whether it happened or was refused' }) outcome: string;
  @Field(() => JSONScalar, { nullable: true, description: 'Before and after of the fields changed; secret values are [REDACTED]' }) change: unknown;
  @Field({ name: 'prevHash', description: "The previous event's hash" }) prev_hash: string;
  @Field({ description: 'sha256 over prevHash and this event' }) hash: string;
}

@ObjectType('AuditVerifyResult', { description: 'Whether the audit log is intact' })
export class VerifyResultType {
  @Field({ description: 'No event was edited, deleted, reordered or truncated' }) valid: boolean;
  @Field(() => Int, { description: 'Events checked' }) checked: number;
  @Field(() => String, { name: 'headSeq', nullable: true, description: 'The newest sequence number' }) head_seq: string | null;
  @Field(() => JSONScalar, { nullable: true, description: 'The first break: kind (edited, deleted, reordered, truncated), seq and detail' }) problem: unknown;
  @Field(() => JSONScalar, { description: 'How the log compares with the signed checkpoints written outside the database' }) checkpoints: unknown;
}

@ObjectType('AuditSignedHead', { description: 'The newest event, signed with Ed25519, to keep outside Berth' })
export class SignedHeadType {
  @Field({ description: 'Its sequence number' }) seq: string;
  @Field({ description: 'Its hash' }) hash: string;
  @Field(() => DateTimeScalar, { name: 'exportedAt', description: 'When it was signed' }) exported_at: string;
  @Field({ description: 'Signature algorithm (ed25519)' }) algorithm: string;
  @Field({ name: 'keyId', description: 'Which signing key' }) key_id: string;
  @Field({ description: 'Base64 signature over "berth-audit-head\\n<seq>\\n<hash>\\n<exportedAt>"' }) signature: string;
  @Field({ name: 'publicKey', description: 'PEM public key to check the signature with' }) public_key: string;
}

@ObjectType('AuditEventConnection', { description: 'A page of audit events, oldest first' })
export class AuditEventConnection extends Connection(AuditEventType, 'AuditEvent') {}
