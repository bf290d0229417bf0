import { ApiProperty } from '@nestjs/swagger';
import { AppRef } from '../../apps/models/app.model.js';
import { TeamRef } from '../../teams/models/team.model.js';

export type EnvironmentState = 'active' | 'deleting';

export class EnvironmentModel {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'staging' }) name: string;
  @ApiProperty({ type: AppRef }) app: AppRef;
  @ApiProperty({ type: TeamRef }) team: TeamRef;
  @ApiProperty({ example: 'checkout-staging', description: 'Kubernetes namespace: <app>-<environment>' }) namespace: string;
  @ApiProperty() production: boolean;
  @ApiProperty() auto_rollback: boolean;
  @ApiProperty({ enum: ['active', 'deleting'] }) state: EnvironmentState;
  @ApiProperty({ type: Number, nullable: true, description: 'Number of the newest release; null before the first deploy' })
  current_release: number | null;
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
  state: EnvironmentState;
  configCiphertext: string;
  configKeys: string[];
  releaseCounter: number;
  version: number;
  createdAt: Date;
  updatedAt: Date;
  app: { id: string; name: string; state: 'active' | 'deleting'; team: { id: string; name: string } };
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
    state: r.state,
    // Releases are never deleted and the counter moves in the same transaction as the insert,
    // so the counter is the newest release number.
    current_release: r.releaseCounter > 0 ? r.releaseCounter : null,
    version: r.version,
    created_at: r.createdAt.toISOString(),
    updated_at: r.updatedAt.toISOString(),
  };
}
