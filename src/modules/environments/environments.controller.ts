import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, TeamAccess } from '../../common/auth/access.decorator.js';
import type { Actor } from '../../common/auth/actor.js';
import { ApiPage } from '../../common/http/api-page.decorator.js';
import { IfMatch } from '../../common/http/if-match.decorator.js';
import { PageQuery } from '../../common/pagination/pagination.js';
import { Audited } from '../audit/audited.decorator.js';
import { CreateEnvironmentInput, UpdateEnvironmentInput } from './dto/environment.input.js';
import { EnvironmentsService } from './environments.service.js';
import { EnvironmentModel } from './models/environment.model.js';

@ApiTags('environments')
@Controller('v1/apps/:app/environments')
export class EnvironmentsController {
  constructor(private readonly environments: EnvironmentsService) {}

  @Audited('environment.create', 'environment')
  @Post()
  @TeamAccess('developer')
  @ApiOperation({ summary: 'Create an environment (a namespace) in an app' })
  @ApiCreatedResponse({ type: EnvironmentModel })
  create(@CurrentActor() actor: Actor, @Param('app') app: string, @Body() input: CreateEnvironmentInput) {
    return this.environments.create(actor, app, input);
  }

  @Get()
  @TeamAccess('viewer')
  @ApiOperation({ summary: 'List the environments of an app' })
  @ApiPage(EnvironmentModel)
  list(@CurrentActor() actor: Actor, @Param('app') app: string, @Query() query: PageQuery) {
    return this.environments.list(actor, app, query);
  }

  @Get(':env')
  @TeamAccess('viewer')
  @ApiOperation({ summary: 'Get an environment by name or id' })
  @ApiOkResponse({ type: EnvironmentModel })
  get(@CurrentActor() actor: Actor, @Param('app') app: string, @Param('env') env: string) {
    return this.environments.get(actor, app, env);
  }

  @Audited('environment.update', 'environment')
  @Patch(':env')
  @TeamAccess('developer')
  @ApiOperation({ summary: 'Update an environment; If-Match honoured (412 when stale)' })
  @ApiOkResponse({ type: EnvironmentModel })
  update(@CurrentActor() actor: Actor, @Param('app') app: string, @Param('env') env: string, @Body() input: UpdateEnvironmentInput, @IfMatch() version: number | undefined) {
    return this.environments.update(actor, app, env, input, version);
  }

  @Audited('environment.delete', 'environment')
  @Delete(':env')
  @HttpCode(202)
  @TeamAccess('admin')
  @ApiOperation({ summary: 'Delete an environment: answers 202 with state "deleting"; the namespace is removed from its cluster and the record (releases, formation, domains) goes once the cluster confirms' })
  @ApiAcceptedResponse({ type: EnvironmentModel })
  delete(@CurrentActor() actor: Actor, @Param('app') app: string, @Param('env') env: string) {
    return this.environments.delete(actor, app, env);
  }
}
