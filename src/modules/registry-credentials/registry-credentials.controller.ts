import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
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
  @HttpCode(200)
  @TeamAccess('admin')
  @Audited('registry_credential.put', 'registry_credential')
  @ApiOperation({ summary: 'Set the login for a container registry (replaces an existing one); the password is write-only' })
  @ApiOkResponse({ type: RegistryCredentialModel })
  // Method name kept as `put`: it is the operationId clients were generated with.
  put(@CurrentActor() actor: Actor, @Param('team') team: string, @Body() input: PutRegistryCredentialInput) {
    return this.credentials.put(actor, team, input.registry, input);
  }

  @Put(':registry')
  @TeamAccess('admin')
  @Audited('registry_credential.put', 'registry_credential')
  @ApiOperation({ summary: 'Set the login for the registry in the path (creates or replaces); the password is write-only' })
  @ApiOkResponse({ type: RegistryCredentialModel })
  replace(@CurrentActor() actor: Actor, @Param('team') team: string, @Param('registry') registry: string, @Body() input: RegistryLoginInput) {
    return this.credentials.put(actor, team, registry, input);
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
