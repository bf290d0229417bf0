import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, TeamAccess } from '../../common/auth/access.decorator.js';
import type { Actor } from '../../common/auth/actor.js';
import { ApiPage } from '../../common/http/api-page.decorator.js';
import { PageQuery } from '../../common/pagination/pagination.js';
import { Audited } from '../audit/audited.decorator.js';
import { DomainsService } from './domains.service.js';
import { CreateDomainInput } from './dto/create-domain.input.js';
import { DomainModel } from './models/domain.model.js';

@ApiTags('domains')
@Controller('v1/apps/:app/environments/:env/domains')
export class DomainsController {
  constructor(private readonly domains: DomainsService) {}

  @Get()
  @TeamAccess('viewer')
  @ApiOperation({ summary: 'List the custom domains of an environment' })
  @ApiPage(DomainModel)
  list(@CurrentActor() actor: Actor, @Param('app') app: string, @Param('env') env: string, @Query() query: PageQuery) {
    return this.domains.list(actor, app, env, query);
  }

  @Audited('domain.create', 'domain')
  @Post()
  @TeamAccess('developer')
  @ApiOperation({ summary: 'Add a custom domain (unique in the installation)' })
  @ApiCreatedResponse({ type: DomainModel })
  create(@CurrentActor() actor: Actor, @Param('app') app: string, @Param('env') env: string, @Body() input: CreateDomainInput) {
    return this.domains.create(actor, app, env, input);
  }

  @Get(':hostname')
  @TeamAccess('viewer')
  @ApiOperation({ summary: 'Get a domain by hostname' })
  @ApiOkResponse({ type: DomainModel })
  get(@CurrentActor() actor: Actor, @Param('app') app: string, @Param('env') env: string, @Param('hostname') hostname: string) {
    return this.domains.get(actor, app, env, hostname);
  }

  @Audited('domain.delete', 'domain')
  @Delete(':hostname')
  @HttpCode(204)
  @TeamAccess('developer')
  @ApiOperation({ summary: 'Remove a domain' })
  @ApiNoContentResponse()
  delete(@CurrentActor() actor: Actor, @Param('app') app: string, @Param('env') env: string, @Param('hostname') hostname: string) {
    return this.domains.delete(actor, app, env, hostname);
  }
}
