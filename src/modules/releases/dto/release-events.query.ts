import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

export const DEFAULT_EVENTS_TIMEOUT_SECONDS = 3600;

export class ReleaseEventsQuery {
  @ApiPropertyOptional({
    description: 'End the stream after this many seconds even if the release is still moving (as a Kubernetes watch\'s timeoutSeconds); reconnect to keep waiting',
    minimum: 1,
    maximum: 3600,
    default: DEFAULT_EVENTS_TIMEOUT_SECONDS,
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(3600)
  timeout_seconds?: number;
}
