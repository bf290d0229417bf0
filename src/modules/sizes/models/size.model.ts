// The size catalogue as both transports show it (REST's SizesController, GraphQL's sizes query).
import { ApiProperty } from '@nestjs/swagger';
import { SIZES } from '../sizes.catalogue.js';

/** The catalogue as the API shows it (REST and GraphQL). */
export function sizeModels(): SizeModel[] {
  return SIZES.map((s) => ({
    name: s.name,
    description: s.description,
    cpu_request: s.cpuRequest,
    cpu_limit: s.cpuLimit,
    memory_request: s.memoryRequest,
    memory_limit: s.memoryLimit,
  }));
}

export class SizeModel {
  @ApiProperty({ example: 'small' }) name: string;
  @ApiProperty() description: string;
  @ApiProperty({ example: '250m' }) cpu_request: string;
  @ApiProperty({ example: '500m' }) cpu_limit: string;
  @ApiProperty({ example: '512Mi' }) memory_request: string;
  @ApiProperty({ example: '512Mi' }) memory_limit: string;
}
