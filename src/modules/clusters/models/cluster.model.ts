import { ApiProperty } from '@nestjs/swagger';
import type { ClusterRecord } from '../clusters.repository.js';

export class ClusterHealth {
  @ApiProperty() reachable: boolean;
  @ApiProperty({ type: String, nullable: true }) server_version: string | null;
  @ApiProperty({ type: String, nullable: true }) last_error: string | null;
  @ApiProperty({ type: String, nullable: true }) last_probed_at: string | null;
}

/** Never carries credentials: they are write-only. */
export class ClusterModel {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty() api_url: string;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } }) labels: Record<string, string>;
  @ApiProperty({ description: 'A simulated cluster (sandbox), not a real one' }) sandbox: boolean;
  @ApiProperty({ description: 'Cordoned clusters take no new environments' }) cordoned: boolean;
  @ApiProperty({ type: String, nullable: true }) ingress_class_name: string | null;
  @ApiProperty({ type: ClusterHealth }) health: ClusterHealth;
  @ApiProperty({ description: 'Environments placed on it' }) environments: number;
  @ApiProperty() version: number;
  @ApiProperty() created_at: string;
  @ApiProperty() updated_at: string;
}

export function toClusterModel(r: ClusterRecord, environments: number): ClusterModel {
  return {
    id: r.id,
    name: r.name,
    api_url: r.apiUrl,
    labels: (r.labels ?? {}) as Record<string, string>,
    sandbox: r.sandbox,
    cordoned: r.cordoned,
    ingress_class_name: r.ingressClassName,
    health: { reachable: r.reachable, server_version: r.serverVersion, last_error: r.lastError, last_probed_at: r.lastProbedAt ? r.lastProbedAt.toISOString() : null },
    environments,
    version: r.version,
    created_at: r.createdAt.toISOString(),
    updated_at: r.updatedAt.toISOString(),
  };
}

export class DrainResultModel {
  @ApiProperty() moved: number;
  @ApiProperty({ description: 'Environments left because no other cluster could take them' }) stranded: number;
  @ApiProperty({ type: ClusterModel }) cluster: ClusterModel;
}
