import { ApiProperty } from '@nestjs/swagger';
import type { ChainedEvent } from '../audit-chain.js';

export class AuditActor {
  @ApiProperty({ enum: ['user', 'token', 'system'] }) type: string;
  @ApiProperty({ nullable: true, type: String }) id: string | null;
  @ApiProperty({ nullable: true, type: String }) name: string | null;
}

export class AuditTarget {
  @ApiProperty({ nullable: true, type: String }) type: string | null;
  @ApiProperty({ nullable: true, type: String }) id: string | null;
  @ApiProperty({ nullable: true, type: String }) name: string | null;
}

export class AuditEventModel {
  @ApiProperty({ description: 'Gap-free sequence number, as a string (64-bit)' }) seq: string;
  @ApiProperty() occurred_at: string;
  @ApiProperty({ type: AuditActor }) actor: AuditActor;
  @ApiProperty({ nullable: true, type: String }) team_id: string | null;
  @ApiProperty({ example: 'release.create' }) action: string;
  @ApiProperty({ type: AuditTarget }) target: AuditTarget;
  @ApiProperty({ nullable: true, type: String }) environment_id: string | null;
  @ApiProperty({ nullable: true, type: String }) request_id: string | null;
  @ApiProperty({ nullable: true, type: String }) idempotency_key: string | null;
  @ApiProperty({ nullable: true, type: String }) source_ip: string | null;
  @ApiProperty({ nullable: true, type: String }) user_agent: string | null;
  @ApiProperty({ enum: ['success', 'denied'] }) outcome: string;
  @ApiProperty({ nullable: true, type: Object, description: 'before/after of the fields changed; secret values are [REDACTED]' })
  change: unknown;
  @ApiProperty() prev_hash: string;
  @ApiProperty() hash: string;
}

export function toAuditEventModel(e: ChainedEvent): AuditEventModel {
  return {
    seq: e.seq.toString(),
    occurred_at: e.occurredAt.toISOString(),
    actor: { type: e.actorType, id: e.actorId, name: e.actorName },
    team_id: e.teamId,
    action: e.action,
    target: { type: e.targetType, id: e.targetId, name: e.targetName },
    environment_id: e.environmentId,
    request_id: e.requestId,
    idempotency_key: e.idempotencyKey,
    source_ip: e.sourceIp,
    user_agent: e.userAgent,
    outcome: e.outcome,
    change: e.change,
    prev_hash: e.prevHash,
    hash: e.hash,
  };
}

export class CheckpointCheckModel {
  @ApiProperty({ description: 'Checkpoints with a valid signature that were compared with the log' }) checked: number;
  @ApiProperty({ description: 'Checkpoints whose signature did not verify (ignored)' }) rejected: number;
  @ApiProperty({ nullable: true, type: String, description: 'Sequence number of the last checkpoint the log still matches' }) last_good_seq: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Sequence number of the newest valid checkpoint (compare with head_seq to see how far anchoring lags)' }) latest_seq: string | null;
  @ApiProperty({ description: 'Where checkpoints are written (BERTH_AUDIT_CHECKPOINT_SINK)' }) sink: string;
  @ApiProperty({ description: 'Whether the sink could be read back (a webhook that answers GET, or a directory)' }) sink_read: boolean;
  @ApiProperty({ nullable: true, type: Object, description: 'Why the last checkpoint write of this replica failed (at, message); null after a success. Failed writes are retried every interval' })
  last_error: { at: string; message: string } | null;
}

export class VerifyResultModel {
  @ApiProperty() valid: boolean;
  @ApiProperty({ description: 'Events checked' }) checked: number;
  @ApiProperty({ nullable: true, type: String }) head_seq: string | null;
  @ApiProperty({ nullable: true, type: Object, description: 'The first break: kind (edited, deleted, reordered, truncated), seq and detail' })
  problem: { kind: string; seq: string; detail: string } | null;
  @ApiProperty({ type: () => CheckpointCheckModel, description: 'How the log compares with the signed checkpoints written outside the database' })
  checkpoints: CheckpointCheckModel;
}

export class SignedHeadModel {
  @ApiProperty() seq: string;
  @ApiProperty() hash: string;
  @ApiProperty() exported_at: string;
  @ApiProperty({ enum: ['ed25519'] }) algorithm: 'ed25519';
  @ApiProperty() key_id: string;
  @ApiProperty({ description: 'Base64 Ed25519 signature over "berth-audit-head\\n<seq>\\n<hash>\\n<exported_at>"' }) signature: string;
  @ApiProperty({ description: 'PEM public key to check the signature with' }) public_key: string;
}
