import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated } from '../../common/auth/access.decorator.js';
import { SizeModel, sizeModels } from './models/size.model.js';

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
