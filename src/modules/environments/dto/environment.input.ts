import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional } from 'class-validator';
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
