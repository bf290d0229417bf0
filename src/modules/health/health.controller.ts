import { Controller, Get, HttpCode } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../../common/auth/access.decorator.js';
import { HealthService } from './health.service.js';
import { ApiProblems } from '../../common/openapi/api-decorators.js';

@ApiTags('health')
@Controller()
export class HealthController {
  constructor(private readonly health: HealthService) {}

  @Get('healthz')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'Liveness: the process is serving' })
  @ApiOkResponse({ schema: { type: 'object', properties: { status: { type: 'string', example: 'ok' } } } })
  live() {
    return this.health.live();
  }

  @Get('readyz')
  @Public()
  @ApiOperation({ summary: 'Readiness: the database answers and the job workers work' })
  @ApiOkResponse({ schema: { type: 'object', properties: { status: { type: 'string', example: 'ready' } } } })
  @ApiProblems(503)
  ready() {
    return this.health.ready();
  }
}
