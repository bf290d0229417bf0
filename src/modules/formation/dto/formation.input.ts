import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength, ValidateNested } from 'class-validator';
import { IsDnsLabel } from '../../../common/validation/decorators.js';
import { NAME_LIMITS } from '../../../common/validation/names.js';
import { SIZE_NAMES } from '../../sizes/sizes.catalogue.js';

export const MAX_PROCESS_TYPES = 20;

export class AutoscalingInput {
  @ApiProperty({ minimum: 1, maximum: 100 })
  @IsInt()
  @Min(1)
  @Max(100)
  min: number;

  @ApiProperty({ minimum: 1, maximum: 100 })
  @IsInt()
  @Min(1)
  @Max(100)
  max: number;

  @ApiProperty({ minimum: 1, maximum: 100, description: 'Average CPU utilisation (% of the request) to aim for' })
  @IsInt()
  @Min(1)
  @Max(100)
  target_cpu: number;
}

export class ProcessTypeInput {
  @ApiProperty({ example: 'web', maxLength: NAME_LIMITS.processType, description: 'Process type to create or change' })
  @IsDnsLabel(NAME_LIMITS.processType)
  type: string;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 1000, description: 'null runs the image\'s own command' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(1000)
  command?: string | null;

  @ApiPropertyOptional({ minimum: 0, maximum: 100, default: 1 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100)
  replicas?: number;

  @ApiPropertyOptional({ enum: SIZE_NAMES, default: 'small' })
  @IsOptional()
  @IsIn(SIZE_NAMES, { message: `must be one of: ${SIZE_NAMES.join(', ')}` })
  size?: string;

  @ApiPropertyOptional({ type: AutoscalingInput, nullable: true, description: 'null turns autoscaling off' })
  @IsOptional()
  @ValidateNested()
  @Type(() => AutoscalingInput)
  autoscaling?: AutoscalingInput | null;

  @ApiPropertyOptional({ minimum: 1, maximum: 65535, description: 'web only; default 8080' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(65535)
  port?: number;

  @ApiPropertyOptional({ example: '/healthz', maxLength: 200, description: 'web only' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  @Matches(/^\/[\x21-\x7e]*$/, { message: 'must be a path starting with "/" (printable characters, no spaces)' })
  health_check_path?: string;
}

export class UpdateFormationInput {
  @ApiProperty({ type: [ProcessTypeInput], maxItems: MAX_PROCESS_TYPES })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_PROCESS_TYPES)
  @ValidateNested({ each: true })
  @Type(() => ProcessTypeInput)
  process_types: ProcessTypeInput[];
}
