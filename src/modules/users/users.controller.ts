import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentActor, PlatformAdmin } from '../../common/auth/access.decorator.js';
import type { Actor } from '../../common/auth/actor.js';
import { ApiPage } from '../../common/http/api-page.decorator.js';
import { PageQuery } from '../../common/pagination/pagination.js';
import { CreateUserInput } from './dto/create-user.input.js';
import { CurrentUserModel, UserModel } from './models/user.model.js';
import { UsersService } from './users.service.js';
import { Audited } from '../audit/audited.decorator.js';

@ApiTags('users')
@Controller('v1/users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Audited('user.create', 'user')
  @Post()
  @PlatformAdmin()
  @ApiOperation({ summary: 'Create a user (platform admins)' })
  @ApiCreatedResponse({ type: UserModel })
  create(@CurrentActor() actor: Actor, @Body() input: CreateUserInput) {
    return this.users.create(actor, input);
  }

  @Get()
  @PlatformAdmin()
  @ApiOperation({ summary: 'List users (platform admins)' })
  @ApiPage(UserModel)
  list(@CurrentActor() actor: Actor, @Query() query: PageQuery) {
    return this.users.list(actor, query);
  }

  @Get('me')
  @Authenticated()
  @ApiOperation({ summary: 'The caller, with their teams and roles' })
  @ApiOkResponse({ type: CurrentUserModel })
  me(@CurrentActor() actor: Actor) {
    return this.users.me(actor);
  }
}
