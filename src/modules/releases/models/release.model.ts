import { ApiProperty } from '@nestjs/swagger';
import { ProcessTypeSnapshot } from '../../formation/models/process-type.model.js';
import { isTerminal, RELEASE_PHASES, RELEASE_REASONS } from '../release-phase.js';

export class ReleaseCreator {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() email: string;
}

export class ReleaseStatus {
  @ApiProperty({ enum: RELEASE_PHASES, description: 'succeeded, failed and superseded are terminal; see docs/releases.md' }) phase: string;
  @ApiProperty({ type: String, nullable: true, enum: RELEASE_REASONS, description: 'Machine-readable cause; null only when succeeded' })
  reason: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'What is happening or what went wrong, and what to do about it' }) message: string | null;
  @ApiProperty({ type: Number, nullable: true, description: 'When superseded: the number of the release that replaced this one' }) superseded_by: number | null;
  @ApiProperty({ description: 'Terminal phase: the release will not change again' }) terminal: boolean;
  @ApiProperty() updated_at: string;
}

export class ReleaseModel {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 7, description: 'v1, v2, … per environment, without gaps' }) number: number;
  @ApiProperty({ example: 'v7' }) version_label: string;
  @ApiProperty({ example: 'registry.example.com/payments/checkout:1.4.2' }) image: string;
  @ApiProperty({ type: String, nullable: true, example: 'sha256:…', description: 'The digest pinned by the image reference, when it names one' })
  image_digest: string | null;
  @ApiProperty({ type: [String], description: 'Config var names in this release (values are never shown)' }) config_keys: string[];
  @ApiProperty({ type: [ProcessTypeSnapshot] }) formation: ProcessTypeSnapshot[];
  @ApiProperty() description: string;
  @ApiProperty({ type: Number, nullable: true, description: 'The release number this one rolled back to' }) rollback_of: number | null;
  @ApiProperty({ type: ReleaseCreator, nullable: true }) created_by: ReleaseCreator | null;
  @ApiProperty({ type: ReleaseStatus, description: 'Live status on the cluster' }) status: ReleaseStatus;
  @ApiProperty() created_at: string;
}

export interface ReleaseRecord {
  id: string;
  teamId: string;
  environmentId: string;
  number: number;
  image: string;
  imageDigest: string | null;
  configCiphertext: string;
  configKeys: string[];
  /** JSON written by ReleasesService from ProcessTypeSnapshot[]. */
  formation: unknown;
  description: string;
  rollbackOf: number | null;
  createdById: string | null;
  phase?: string;
  reason?: string | null;
  message?: string | null;
  supersededBy?: number | null;
  phaseUpdatedAt?: Date;
  createdAt: Date;
}

export function versionLabel(n: number): string {
  return `v${n}`;
}

export function toReleaseModel(r: ReleaseRecord, creators: ReadonlyMap<string, ReleaseCreator>): ReleaseModel {
  return {
    id: r.id,
    number: r.number,
    version_label: versionLabel(r.number),
    image: r.image,
    image_digest: r.imageDigest,
    config_keys: r.configKeys,
    formation: r.formation as ProcessTypeSnapshot[],
    description: r.description,
    rollback_of: r.rollbackOf,
    created_by: r.createdById ? (creators.get(r.createdById) ?? null) : null,
    status: {
      phase: r.phase ?? 'pending',
      reason: r.reason ?? null,
      message: r.message ?? null,
      superseded_by: r.supersededBy ?? null,
      terminal: isTerminal(r.phase ?? 'pending'),
      updated_at: (r.phaseUpdatedAt ?? r.createdAt).toISOString(),
    },
    created_at: r.createdAt.toISOString(),
  };
}
