import { Body, Controller, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, PlatformAdmin, TeamAccess } from '../../common/auth/access.decorator.js';
import type { Actor } from '../../common/auth/actor.js';
import { IfMatch } from '../../common/http/if-match.decorator.js';
import { Audited } from '../audit/audited.decorator.js';
import { UpdateQuotaInput } from './dto/update-quota.input.js';
import { QuotaModel } from './models/quota.model.js';
import { QuotasService } from './quotas.service.js';

@ApiTags('quotas')
@Controller('v1/teams/:team/quota')
export class QuotasController {
  constructor(private readonly quotas: QuotasService) {}

  @Get()
  @TeamAccess('viewer')
  @ApiOperation({ summary: 'The team\'s quota: limits and current usage' })
  @ApiOkResponse({ type: QuotaModel })
  get(@CurrentActor() actor: Actor, @Param('team') team: string) {
    return this.quotas.get(actor, team);
  }

  @Put()
  @PlatformAdmin()
  @Audited('quota.update', 'quota')
  @ApiOperation({ summary: 'Set the team\'s limits (platform admins). If-Match honoured (412 when stale); lowering below usage stops growth, breaks nothing running.' })
  @ApiOkResponse({ type: QuotaModel })
  update(@CurrentActor() actor: Actor, @Param('team') team: string, @Body() input: UpdateQuotaInput, @IfMatch() version: number | undefined) {
    return this.quotas.update(actor, team, input, version);
  }

  @Post('recompute')
  @HttpCode(200)
  @PlatformAdmin()
  @Audited('quota.recompute', 'quota')
  @ApiOperation({ summary: 'Recount usage from the team\'s apps, environments and formations and store it' })
  @ApiOkResponse({ type: QuotaModel })
  recompute(@CurrentActor() actor: Actor, @Param('team') team: string) {
    return this.quotas.recompute(actor, team);
  }
}
