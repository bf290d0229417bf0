import { Body, Controller, Delete, Get, HttpCode, Param, Patch } from '@nestjs/common';
import { ApiHeader, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { IfMatch } from '../../common/http/if-match.decorator.js';
import { CurrentActor, TeamAccess } from '../../common/auth/access.decorator.js';
import type { Actor } from '../../common/auth/actor.js';
import { Audited } from '../audit/audited.decorator.js';
import { UpdateFormationInput } from './dto/formation.input.js';
import { FormationService } from './formation.service.js';
import { FormationModel } from './models/process-type.model.js';

@ApiTags('formation')
@Controller('v1/apps/:app/environments/:env/formation')
export class FormationController {
  constructor(private readonly formation: FormationService) {}

  @Get()
  @TeamAccess('viewer')
  @ApiOperation({ summary: 'List the process types of an environment' })
  @ApiOkResponse({ type: FormationModel })
  get(@CurrentActor() actor: Actor, @Param('app') app: string, @Param('env') env: string) {
    return this.formation.get(actor, app, env);
  }

  @Audited('formation.update', 'formation')
  @Patch()
  @TeamAccess('developer')
  @ApiOperation({ summary: 'Create or change process types (scale, resize, autoscale); does not create a release; If-Match (the environment version) honoured' })
  @ApiHeader({ name: 'If-Match', required: false, description: 'The formation\'s ETag (its environment\'s version); 412 when stale' })
  @ApiOkResponse({ type: FormationModel })
  update(@CurrentActor() actor: Actor, @Param('app') app: string, @Param('env') env: string, @Body() input: UpdateFormationInput, @IfMatch() version: number | undefined) {
    return this.formation.update(actor, app, env, input, version);
  }

  @Audited('process_type.delete', 'process_type')
  @Delete(':type')
  @HttpCode(204)
  @TeamAccess('developer')
  @ApiOperation({ summary: 'Remove a process type' })
  @ApiNoContentResponse()
  delete(@CurrentActor() actor: Actor, @Param('app') app: string, @Param('env') env: string, @Param('type') type: string) {
    return this.formation.delete(actor, app, env, type);
  }
}
