import { Body, Controller, Delete, Get, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentActor } from '../../common/auth/access.decorator.js';
import type { Actor } from '../../common/auth/actor.js';
import { ApiPage } from '../../common/http/api-page.decorator.js';
import { PageQuery } from '../../common/pagination/pagination.js';
import { CreateTokenInput } from './dto/create-token.input.js';
import { CreatedTokenModel, TokenModel } from './models/token.model.js';
import { TokensService } from './tokens.service.js';
import { Audited } from '../audit/audited.decorator.js';

@ApiTags('tokens')
@Controller('v1/tokens')
export class TokensController {
  constructor(private readonly tokens: TokensService) {}

  @Audited('token.create', 'token')
  @Post()
  @Authenticated()
  @ApiOperation({ summary: 'Create an API token; the token is in this answer only' })
  @ApiCreatedResponse({ type: CreatedTokenModel })
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
  @ApiOperation({ summary: 'Revoke a token; it stops working at once' })
  @ApiOkResponse({ type: TokenModel })
  revoke(@CurrentActor() actor: Actor, @Param('token') id: string) {
    return this.tokens.revoke(actor, id);
  }
}
