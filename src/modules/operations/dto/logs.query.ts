import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, Max, Min } from 'class-validator';
import { IsDnsLabel } from '../../../common/validation/decorators.js';
import { NAME_LIMITS } from '../../../common/validation/names.js';

export class LogsQuery {
  @ApiPropertyOptional({ description: 'Only this process type' })
  @IsOptional()
  @IsDnsLabel(NAME_LIMITS.processType)
  process_type?: string;

  @ApiPropertyOptional({ description: 'Keep streaming new lines', default: false })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  follow?: boolean;

  @ApiPropertyOptional({ description: 'Lines of history per pod', minimum: 0, maximum: 10000, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(10_000)
  tail?: number;

  @ApiPropertyOptional({ description: "The last terminated instance of each pod's container (after a crash) instead of the current one", default: false })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  previous?: boolean;

  @ApiPropertyOptional({ description: 'Give each line the time the container wrote it (`time`, RFC 3339)', default: false })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  timestamps?: boolean;

  @ApiPropertyOptional({ description: 'Only lines written in the last this many seconds', minimum: 1, maximum: 2592000 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(2_592_000)
  since_seconds?: number;
}
