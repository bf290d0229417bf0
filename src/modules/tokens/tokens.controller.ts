import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentActor } from '../../common/auth/access.decorator.js';
import type { Actor } from '../../common/auth/actor.js';
import { ApiPage } from '../../common/http/api-page.decorator.js';
import { PageQuery } from '../../common/pagination/pagination.js';
import { CreateTokenInput } from './dto/create-token.input.js';
import { CreatedTokenModel, TokenModel } from './models/token.model.js';
import { TokensService } from './tokens.service.js';
import { Audited } from '../audit/audited.decorator.js';
import { ApiProblems } from '../../common/openapi/api-decorators.js';

@ApiTags('tokens')
@Controller('v1/tokens')
export class TokensController {
  constructor(private readonly tokens: TokensService) {}

  @Audited('token.create', 'token')
  @Post()
  @Authenticated()
  @ApiOperation({ summary: 'Create an API token; the token is in this answer only' })
  @ApiCreatedResponse({ type: CreatedTokenModel })
  @ApiProblems(403, 404)
  create(@CurrentActor() actor: Actor, @Body() input: CreateTokenInput) {
    return this.tokens.create(actor, input);
  }

  @Get()
  @Authenticated()
  @ApiOperation({ summary: 'List your tokens (never the tokens themselves)' })
  @ApiPage(TokenModel)
  list(@CurrentActor() actor: Actor, @Query() query: PageQuery) {
    return this.tokens.list(actor, query);
  }

  @Get(':token')
  @Authenticated()
  @ApiOperation({ summary: 'Get one of your tokens by id' })
  @ApiOkResponse({ type: TokenModel })
  get(@CurrentActor() actor: Actor, @Param('token') id: string) {
    return this.tokens.get(actor, id);
  }

  @Audited('token.revoke', 'token')
  @Delete(':token')
  @Authenticated()
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke a token; it stops working at once (revoking a revoked token answers 204 too)' })
  @ApiNoContentResponse()
  async revoke(@CurrentActor() actor: Actor, @Param('token') id: string): Promise<void> {
    await this.tokens.revoke(actor, id);
  }
}
