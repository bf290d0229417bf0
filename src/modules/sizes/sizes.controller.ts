import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Authenticated } from '../../common/auth/access.decorator.js';
import { SIZES } from './sizes.catalogue.js';

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

@ApiTags('sizes')
@Controller('v1/sizes')
export class SizesController {
  @Get()
  @Authenticated()
  @ApiOperation({ summary: 'The catalogue of process sizes' })
  @ApiOkResponse({ type: [SizeModel] })
  list(): SizeModel[] {
    return sizeModels();
  }
}
