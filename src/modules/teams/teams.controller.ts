import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentActor, TeamAccess } from '../../common/auth/access.decorator.js';
import type { Actor } from '../../common/auth/actor.js';
import { ApiPage } from '../../common/http/api-page.decorator.js';
import { IfMatch } from '../../common/http/if-match.decorator.js';
import { PageQuery } from '../../common/pagination/pagination.js';
import { CreateTeamInput, UpdateTeamInput } from './dto/create-team.input.js';
import { AddMemberInput, UpdateMemberInput } from './dto/member.input.js';
import { MemberModel } from './models/member.model.js';
import { TeamModel } from './models/team.model.js';
import { TeamsService } from './teams.service.js';
import { InvitationsService } from './invitations.service.js';
import { InvitationModel } from './models/invitation.model.js';
import { Audited } from '../audit/audited.decorator.js';

@ApiTags('teams')
@Controller('v1/teams')
export class TeamsController {
  constructor(
    private readonly teams: TeamsService,
    private readonly invitations: InvitationsService,
  ) {}

  @Audited('team.create', 'team')
  @Post()
  @Authenticated()
  @ApiOperation({ summary: 'Create a team; you become its owner' })
  @ApiCreatedResponse({ type: TeamModel })
  create(@CurrentActor() actor: Actor, @Body() input: CreateTeamInput) {
    return this.teams.create(actor, input);
  }

  @Get()
  @Authenticated()
  @ApiOperation({ summary: 'List the teams you belong to (all teams for platform admins)' })
  @ApiPage(TeamModel)
  list(@CurrentActor() actor: Actor, @Query() query: PageQuery) {
    return this.teams.list(actor, query);
  }

  @Get(':team')
  @TeamAccess('viewer')
  @ApiOperation({ summary: 'Get a team by name or id' })
  @ApiOkResponse({ type: TeamModel })
  get(@CurrentActor() actor: Actor, @Param('team') team: string) {
    return this.teams.get(actor, team);
  }

  @Audited('team.update', 'team')
  @Patch(':team')
  @TeamAccess('admin')
  @ApiOperation({ summary: 'Update a team' })
  @ApiOkResponse({ type: TeamModel })
  update(@CurrentActor() actor: Actor, @Param('team') team: string, @Body() input: UpdateTeamInput, @IfMatch() version: number | undefined) {
    return this.teams.update(actor, team, input, version);
  }

  @Audited('team.delete', 'team')
  @Delete(':team')
  @HttpCode(204)
  @TeamAccess('owner')
  @ApiOperation({ summary: 'Delete a team that has no apps' })
  @ApiNoContentResponse()
  delete(@CurrentActor() actor: Actor, @Param('team') team: string) {
    return this.teams.delete(actor, team);
  }

  @Get(':team/members')
  @TeamAccess('viewer')
  @ApiOperation({ summary: 'List members and their roles' })
  @ApiPage(MemberModel)
  listMembers(@CurrentActor() actor: Actor, @Param('team') team: string, @Query() query: PageQuery) {
    return this.teams.listMembers(actor, team, query);
  }

  @Audited('member.invite', 'invitation')
  @Post(':team/members')
  @TeamAccess('admin')
  @ApiOperation({ summary: 'Invite someone by e-mail (only owners may invite owners or admins). Creates an invitation; the answer is the same whether or not the address has an account; the invited user accepts with POST /v1/invitations/{invitation}/accept' })
  @ApiCreatedResponse({ type: InvitationModel })
  addMember(@CurrentActor() actor: Actor, @Param('team') team: string, @Body() input: AddMemberInput) {
    return this.invitations.invite(actor, team, input);
  }

  @Get(':team/invitations')
  @TeamAccess('viewer')
  @ApiOperation({ summary: 'Pending (and expired) invitations to the team' })
  @ApiPage(InvitationModel)
  listInvitations(@CurrentActor() actor: Actor, @Param('team') team: string, @Query() query: PageQuery) {
    return this.invitations.listForTeam(actor, team, query);
  }

  @Audited('invitation.revoke', 'invitation')
  @Delete(':team/invitations/:invitation')
  @HttpCode(204)
  @TeamAccess('admin')
  @ApiOperation({ summary: 'Revoke an invitation' })
  @ApiNoContentResponse()
  revokeInvitation(@CurrentActor() actor: Actor, @Param('team') team: string, @Param('invitation') invitation: string) {
    return this.invitations.revoke(actor, team, invitation);
  }

  @Audited('member.update', 'member')
  @Patch(':team/members/:user')
  @TeamAccess('admin')
  @ApiOperation({ summary: 'Change a member\'s role (by user id or e-mail); If-Match honoured (412 when stale)' })
  @ApiOkResponse({ type: MemberModel })
  updateMember(@CurrentActor() actor: Actor, @Param('team') team: string, @Param('user') user: string, @Body() input: UpdateMemberInput, @IfMatch() version: number | undefined) {
    return this.teams.updateMember(actor, team, user, input, version);
  }

  @Audited('member.remove', 'member')
  @Delete(':team/members/:user')
  @HttpCode(204)
  @TeamAccess('viewer')
  @ApiOperation({ summary: 'Remove a member; anyone may remove themselves, admins may remove others' })
  @ApiNoContentResponse()
  removeMember(@CurrentActor() actor: Actor, @Param('team') team: string, @Param('user') user: string) {
    return this.teams.removeMember(actor, team, user);
  }
}
