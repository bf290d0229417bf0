import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsObject, IsOptional, IsString, MaxLength } from 'class-validator';
import { IsLabelMap } from '../../../common/validation/labels.js';
import { IsDnsLabel } from '../../../common/validation/decorators.js';
import { NAME_LIMITS } from '../../../common/validation/names.js';

export class CreateEnvironmentInput {
  @ApiProperty({ description: 'DNS label, unique in the app; `<app>-<name>` becomes the namespace', example: 'staging', maxLength: NAME_LIMITS.environment })
  @IsDnsLabel(NAME_LIMITS.environment)
  name: string;

  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @IsBoolean()
  production?: boolean;

  @ApiPropertyOptional({ default: false, description: 'Roll back automatically when a release fails its health checks' })
  @IsOptional()
  @IsBoolean()
  auto_rollback?: boolean;

  @ApiPropertyOptional({ description: 'Cluster (name or id) to place the environment on; else chosen by cluster_selector, then least loaded' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  cluster?: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' }, example: { region: 'eu-west' }, description: 'Labels the chosen cluster must have' })
  @IsOptional()
  @IsObject()
  @IsLabelMap()
  cluster_selector?: Record<string, string>;
}

export class UpdateEnvironmentInput {
  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  production?: boolean;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  auto_rollback?: boolean;
}
