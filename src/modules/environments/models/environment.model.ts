import { ApiProperty } from '@nestjs/swagger';
import { AppRef } from '../../apps/models/app.model.js';
import { TeamRef } from '../../teams/models/team.model.js';
import { RELEASE_PHASES, RELEASE_REASONS } from '../../releases/release-phase.js';
import { SECURITY_PROFILES } from '../../workloads/render/security.js';

export type EnvironmentState = 'active' | 'deleting';

export class ClusterRef {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
}

export class SyncStatus {
  @ApiProperty({ description: 'Changes to desired state so far' }) desired_generation: number;
  @ApiProperty({ description: 'How many of them the cluster has been given' }) applied_generation: number;
  @ApiProperty({ type: String, nullable: true }) last_applied_at: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'Why the last attempt to apply failed (retried with backoff)' }) last_error: string | null;
}

export class EnvironmentStatusModel {
  @ApiProperty({ enum: RELEASE_PHASES }) phase: string;
  @ApiProperty({ type: String, nullable: true, enum: RELEASE_REASONS }) reason: string | null;
  @ApiProperty({ type: String, nullable: true }) message: string | null;
  @ApiProperty({ type: Number, nullable: true, description: 'The release the environment is converging to' }) release: number | null;
  @ApiProperty({ type: 'array', items: { type: 'object' } }) processes: unknown[];
  @ApiProperty({ type: 'array', items: { type: 'object' } }) pods: unknown[];
  @ApiProperty({ type: String, nullable: true, description: 'When Berth last read this from the cluster' }) observed_at: string | null;
  @ApiProperty({ description: 'False until the cluster has been read again since Berth started or lost contact with it' }) verified: boolean;
}

export class EnvironmentModel {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'staging' }) name: string;
  @ApiProperty({ type: AppRef }) app: AppRef;
  @ApiProperty({ type: TeamRef }) team: TeamRef;
  @ApiProperty({ example: 'checkout-staging', description: 'Kubernetes namespace: <app>-<environment>' }) namespace: string;
  @ApiProperty() production: boolean;
  @ApiProperty() auto_rollback: boolean;
  @ApiProperty({ enum: SECURITY_PROFILES }) security_profile: string;
  @ApiProperty({ description: 'Restarts after which a crashing release fails' }) failure_restart_threshold: number;
  @ApiProperty({ description: 'Seconds without rollout progress after which a release fails' }) progress_deadline_seconds: number;
  @ApiProperty({ enum: ['active', 'deleting'] }) state: EnvironmentState;
  @ApiProperty({ type: Number, nullable: true, description: 'Number of the newest release; null before the first deploy' })
  current_release: number | null;
  @ApiProperty({ type: ClusterRef, nullable: true, description: 'The cluster the environment is placed on (null until placed)' })
  cluster: ClusterRef | null;
  @ApiProperty({ type: SyncStatus }) sync: SyncStatus;
  @ApiProperty({ type: EnvironmentStatusModel, nullable: true, description: 'Where the environment stands: the same phase model as releases (docs/releases.md), live processes and pods as last observed' })
  status: unknown;
  @ApiProperty() version: number;
  @ApiProperty() created_at: string;
  @ApiProperty() updated_at: string;
}

/** What repositories hand out; other modules receive it from EnvironmentsService.resolve(). */
export interface EnvironmentRecord {
  id: string;
  teamId: string;
  appId: string;
  name: string;
  production: boolean;
  autoRollback: boolean;
  securityProfile?: string;
  failureRestartThreshold?: number;
  progressDeadlineSeconds?: number;
  state: EnvironmentState;
  configCiphertext: string;
  configKeys: string[];
  releaseCounter: number;
  version: number;
  createdAt: Date;
  updatedAt: Date;
  app: { id: string; name: string; state: 'active' | 'deleting'; team: { id: string; name: string } };
  cluster?: { id: string; name: string } | null;
  desiredGeneration?: number;
  appliedGeneration?: number;
  lastAppliedAt?: Date | null;
  lastSyncError?: string | null;
  observedStatus?: unknown;
}

export function toEnvironmentModel(r: EnvironmentRecord): EnvironmentModel {
  return {
    id: r.id,
    name: r.name,
    app: { id: r.app.id, name: r.app.name },
    team: { id: r.app.team.id, name: r.app.team.name },
    namespace: `${r.app.name}-${r.name}`,
    production: r.production,
    auto_rollback: r.autoRollback,
    security_profile: r.securityProfile ?? 'restricted',
    failure_restart_threshold: r.failureRestartThreshold ?? 3,
    progress_deadline_seconds: r.progressDeadlineSeconds ?? 300,
    state: r.state,
    // Releases are never deleted and the counter moves in the same transaction as the insert,
    // so the counter is the newest release number.
    current_release: r.releaseCounter > 0 ? r.releaseCounter : null,
    cluster: r.cluster ? { id: r.cluster.id, name: r.cluster.name } : null,
    sync: {
      desired_generation: r.desiredGeneration ?? 0,
      applied_generation: r.appliedGeneration ?? 0,
      last_applied_at: r.lastAppliedAt ? r.lastAppliedAt.toISOString() : null,
      last_error: r.lastSyncError ?? null,
    },
    status: r.observedStatus ?? null,
    version: r.version,
    created_at: r.createdAt.toISOString(),
    updated_at: r.updatedAt.toISOString(),
  };
}
