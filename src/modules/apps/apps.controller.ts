import { Body, Controller, Delete, Get, Param, Patch, Post, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ApiAcceptedResponse, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentActor, TeamAccess } from '../../common/auth/access.decorator.js';
import type { Actor } from '../../common/auth/actor.js';
import { ApiPage } from '../../common/http/api-page.decorator.js';
import { IfMatch } from '../../common/http/if-match.decorator.js';
import { ListAppsPageQuery } from './dto/list-apps.query.js';
import { AppsService } from './apps.service.js';
import { CreateAppInput, UpdateAppInput } from './dto/create-app.input.js';
import { AppModel } from './models/app.model.js';
import { Audited } from '../audit/audited.decorator.js';
import { ApiProblems } from '../../common/openapi/api-decorators.js';

@ApiTags('apps')
@Controller('v1/apps')
export class AppsController {
  constructor(private readonly apps: AppsService) {}

  @Audited('app.create', 'app')
  @Post()
  @TeamAccess('developer')
  @ApiOperation({ summary: 'Create an app in a team' })
  @ApiCreatedResponse({ type: AppModel })
  @ApiProblems(404)
  create(@CurrentActor() actor: Actor, @Body() input: CreateAppInput) {
    return this.apps.create(actor, input);
  }

  @Get()
  @Authenticated()
  @ApiOperation({ summary: 'List the apps of your teams' })
  @ApiPage(AppModel)
  list(@CurrentActor() actor: Actor, @Query() query: ListAppsPageQuery) {
    return this.apps.list(actor, query);
  }

  @Get(':app')
  @TeamAccess('viewer')
  @ApiOperation({ summary: 'Get an app by name or id' })
  @ApiOkResponse({ type: AppModel })
  get(@CurrentActor() actor: Actor, @Param('app') app: string) {
    return this.apps.get(actor, app);
  }

  @Audited('app.update', 'app')
  @Patch(':app')
  @TeamAccess('developer')
  @ApiOperation({ summary: 'Update an app (send If-Match with its ETag to refuse lost updates)' })
  @ApiOkResponse({ type: AppModel })
  update(@CurrentActor() actor: Actor, @Param('app') app: string, @Body() input: UpdateAppInput, @IfMatch() version: number | undefined) {
    return this.apps.update(actor, app, input, version);
  }

  @Audited('app.delete', 'app')
  @Delete(':app')
  @TeamAccess('admin')
  @ApiOperation({ summary: 'Delete an app: 204 when it has no environments; else 202 with state "deleting" while their namespaces are removed' })
  @ApiNoContentResponse()
  @ApiAcceptedResponse({ type: AppModel })
  async delete(@CurrentActor() actor: Actor, @Param('app') app: string, @Res({ passthrough: true }) reply: FastifyReply) {
    const deleting = await this.apps.delete(actor, app);
    void reply.status(deleting ? 202 : 204);
    return deleting ?? undefined;
  }
}
