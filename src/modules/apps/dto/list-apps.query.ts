import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { PageQuery } from '../../../common/pagination/pagination.js';

export class ListAppsPageQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Only apps of this team (name or id)' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  team?: string;
}
