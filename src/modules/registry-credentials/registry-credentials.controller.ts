import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentActor, TeamAccess } from '../../common/auth/access.decorator.js';
import type { Actor } from '../../common/auth/actor.js';
import { Audited } from '../audit/audited.decorator.js';
import { PutRegistryCredentialInput, RegistryLoginInput } from './dto/registry-credential.input.js';
import { RegistryCredentialModel } from './models/registry-credential.model.js';
import { RegistryCredentialsService } from './registry-credentials.service.js';

@ApiTags('registry-credentials')
@Controller('v1/teams/:team/registry-credentials')
export class RegistryCredentialsController {
  constructor(private readonly credentials: RegistryCredentialsService) {}

  @Post()
  @TeamAccess('admin')
  @Audited('registry_credential.put', 'registry_credential')
  @ApiOperation({ summary: 'Set the login for a container registry: 201 when new, 200 when it replaces one; the password is write-only' })
  @ApiCreatedResponse({ type: RegistryCredentialModel, description: 'A new login' })
  @ApiOkResponse({ type: RegistryCredentialModel, description: 'Replaced the existing login' })
  async create(@CurrentActor() actor: Actor, @Param('team') team: string, @Body() input: PutRegistryCredentialInput, @Res({ passthrough: true }) reply: FastifyReply) {
    const { credential, created } = await this.credentials.putWithOutcome(actor, team, input.registry, input);
    void reply.status(created ? 201 : 200);
    return credential;
  }

  @Put(':registry')
  @TeamAccess('admin')
  @Audited('registry_credential.put', 'registry_credential')
  @ApiOperation({ summary: 'Set the login for the registry in the path (creates or replaces); the password is write-only' })
  @ApiCreatedResponse({ type: RegistryCredentialModel, description: 'A new login' })
  @ApiOkResponse({ type: RegistryCredentialModel, description: 'Replaced the existing login' })
  async replace(@CurrentActor() actor: Actor, @Param('team') team: string, @Param('registry') registry: string, @Body() input: RegistryLoginInput, @Res({ passthrough: true }) reply: FastifyReply) {
    const { credential, created } = await this.credentials.putWithOutcome(actor, team, registry, input);
    void reply.status(created ? 201 : 200);
    return credential;
  }

  @Get()
  @TeamAccess('admin')
  @ApiOperation({ summary: 'Registries the team has logins for (never the passwords)' })
  @ApiOkResponse({ type: [RegistryCredentialModel] })
  list(@CurrentActor() actor: Actor, @Param('team') team: string) {
    return this.credentials.list(actor, team);
  }

  @Delete(':registry')
  @HttpCode(204)
  @TeamAccess('admin')
  @Audited('registry_credential.delete', 'registry_credential')
  @ApiOperation({ summary: 'Forget the login for a registry' })
  @ApiNoContentResponse()
  delete(@CurrentActor() actor: Actor, @Param('team') team: string, @Param('registry') registry: string) {
    return this.credentials.delete(actor, team, registry);
  }
}
