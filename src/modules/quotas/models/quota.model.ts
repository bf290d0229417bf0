import { ApiProperty } from '@nestjs/swagger';

export class QuotaLimits {
  @ApiProperty() apps: number;
  @ApiProperty() environments: number;
  @ApiProperty({ description: 'Total CPU requests, in millicores' }) cpu_millis: number;
  @ApiProperty({ description: 'Total memory requests, in MiB' }) memory_mib: number;
  @ApiProperty() replicas_per_process: number;
  @ApiProperty() releases_retained: number;
}

export class QuotaUsage {
  @ApiProperty() apps: number;
  @ApiProperty() environments: number;
  @ApiProperty() cpu_millis: number;
  @ApiProperty() memory_mib: number;
}

export class QuotaModel {
  @ApiProperty({ format: 'uuid' }) team_id: string;
  @ApiProperty({ type: QuotaLimits }) limits: QuotaLimits;
  @ApiProperty({ type: QuotaUsage }) usage: QuotaUsage;
  @ApiProperty() version: number;
  @ApiProperty() updated_at: string;
}

export interface QuotaRecord {
  teamId: string;
  maxApps: number;
  maxEnvironments: number;
  maxCpuMillis: number;
  maxMemoryMib: number;
  maxReplicasPerProcess: number;
  maxReleasesRetained: number;
  usedApps: number;
  usedEnvironments: number;
  usedCpuMillis: number;
  usedMemoryMib: number;
  version: number;
  updatedAt: Date;
}

export function toQuotaModel(r: QuotaRecord): QuotaModel {
  return {
    team_id: r.teamId,
    limits: {
      apps: r.maxApps,
      environments: r.maxEnvironments,
      cpu_millis: r.maxCpuMillis,
      memory_mib: r.maxMemoryMib,
      replicas_per_process: r.maxReplicasPerProcess,
      releases_retained: r.maxReleasesRetained,
    },
    usage: { apps: r.usedApps, environments: r.usedEnvironments, cpu_millis: r.usedCpuMillis, memory_mib: r.usedMemoryMib },
    version: r.version,
    updated_at: r.updatedAt.toISOString(),
  };
}
