import { ApiProperty } from '@nestjs/swagger';
import { SIZE_NAMES } from '../../sizes/sizes.catalogue.js';

export class AutoscalingModel {
  @ApiProperty({ minimum: 1 }) min: number;
  @ApiProperty({ maximum: 100 }) max: number;
  @ApiProperty({ minimum: 1, maximum: 100, description: 'Average CPU utilisation (% of the request) to aim for' }) target_cpu: number;
}

/** A process type as a release pins it (the `formation` of a release). */
export class ProcessTypeSnapshot {
  @ApiProperty({ example: 'web' }) type: string;
  @ApiProperty({ type: String, nullable: true, description: 'Overrides the image\'s command; null runs the image default' }) command: string | null;
  @ApiProperty({ minimum: 0, maximum: 100 }) replicas: number;
  @ApiProperty({ enum: SIZE_NAMES }) size: string;
  @ApiProperty({ type: AutoscalingModel, nullable: true }) autoscaling: AutoscalingModel | null;
  @ApiProperty({ type: Number, nullable: true, description: 'Container port receiving HTTP traffic (web only)' }) port: number | null;
  @ApiProperty({ type: String, nullable: true, description: 'Readiness probe path (web only)' }) health_check_path: string | null;
}

export class ProcessTypeModel extends ProcessTypeSnapshot {
  @ApiProperty() version: number;
  @ApiProperty() updated_at: string;
}

export class FormationModel {
  @ApiProperty({ type: [ProcessTypeModel] }) process_types: ProcessTypeModel[];
  @ApiProperty({ description: 'The environment\'s version, which every formation change moves on (the ETag; send it as If-Match)' }) version: number;
}

export interface ProcessTypeRecord {
  id: string;
  teamId: string;
  environmentId: string;
  type: string;
  command: string | null;
  replicas: number;
  size: string;
  autoscaleMin: number | null;
  autoscaleMax: number | null;
  autoscaleTargetCpu: number | null;
  port: number | null;
  healthCheckPath: string | null;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export function toProcessTypeSnapshot(r: ProcessTypeRecord): ProcessTypeSnapshot {
  const autoscaling =
    r.autoscaleMin !== null && r.autoscaleMax !== null && r.autoscaleTargetCpu !== null
      ? { min: r.autoscaleMin, max: r.autoscaleMax, target_cpu: r.autoscaleTargetCpu }
      : null;
  return { type: r.type, command: r.command, replicas: r.replicas, size: r.size, autoscaling, port: r.port, health_check_path: r.healthCheckPath };
}

export function toProcessTypeModel(r: ProcessTypeRecord): ProcessTypeModel {
  return { ...toProcessTypeSnapshot(r), version: r.version, updated_at: r.updatedAt.toISOString() };
}
