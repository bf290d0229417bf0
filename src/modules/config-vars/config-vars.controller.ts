import { Body, Controller, Get, Param, Patch } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, TeamAccess } from '../../common/auth/access.decorator.js';
import type { Actor } from '../../common/auth/actor.js';
import { IfMatch } from '../../common/http/if-match.decorator.js';
import { Audited } from '../audit/audited.decorator.js';
import { ConfigVarsService } from './config-vars.service.js';
import { UpdateConfigVarsInput } from './dto/update-config-vars.input.js';
import { ConfigVarsModel, ConfigVarsUpdateModel } from './models/config-vars.model.js';

@ApiTags('config-vars')
@Controller('v1/apps/:app/environments/:env/config-vars')
export class ConfigVarsController {
  constructor(private readonly configVars: ConfigVarsService) {}

  // Reading secrets is audited too (who saw them), with the keys only.
  @Audited('config_vars.reveal', 'environment')
  @Get()
  @TeamAccess('viewer')
  @ApiOperation({ summary: 'Read the config vars: values for developers and above, masked for viewers (every read is audited)' })
  @ApiOkResponse({ type: ConfigVarsModel })
  get(@CurrentActor() actor: Actor, @Param('app') app: string, @Param('env') env: string) {
    return this.configVars.get(actor, app, env);
  }

  @Audited('config_vars.update', 'environment')
  @Patch()
  @TeamAccess('developer')
  @ApiOperation({ summary: 'Set and unset config vars in one change; creates a release once the environment has been deployed (If-Match: the environment version)' })
  @ApiOkResponse({ type: ConfigVarsUpdateModel })
  update(@CurrentActor() actor: Actor, @Param('app') app: string, @Param('env') env: string, @Body() input: UpdateConfigVarsInput, @IfMatch() version: number | undefined) {
    return this.configVars.update(actor, app, env, input, version);
  }
}
