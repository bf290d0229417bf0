import { Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentActor } from '../../common/auth/access.decorator.js';
import type { Actor } from '../../common/auth/actor.js';
import { Audited } from '../audit/audited.decorator.js';
import { InvitationsService } from './invitations.service.js';
import { InvitationModel } from './models/invitation.model.js';
import { MemberModel } from './models/member.model.js';

/** The invited user's side: invitations addressed to the caller's own e-mail address. */
@ApiTags('teams')
@Controller('v1/invitations')
export class InvitationsController {
  constructor(private readonly invitations: InvitationsService) {}

  @Get()
  @Authenticated()
  @ApiOperation({ summary: 'Invitations addressed to you' })
  @ApiOkResponse({ type: InvitationModel, isArray: true })
  mine(@CurrentActor() actor: Actor) {
    return this.invitations.mine(actor);
  }

  @Audited('invitation.accept', 'member')
  @Post(':invitation/accept')
  @Authenticated()
  @ApiOperation({ summary: 'Accept an invitation addressed to you: you become a member with its role' })
  @ApiCreatedResponse({ type: MemberModel })
  accept(@CurrentActor() actor: Actor, @Param('invitation') invitation: string) {
    return this.invitations.accept(actor, invitation);
  }

  @Audited('invitation.decline', 'invitation')
  @Delete(':invitation')
  @HttpCode(204)
  @Authenticated()
  @ApiOperation({ summary: 'Decline an invitation addressed to you' })
  @ApiNoContentResponse()
  decline(@CurrentActor() actor: Actor, @Param('invitation') invitation: string) {
    return this.invitations.decline(actor, invitation);
  }
}
