import { Args, Query, Resolver } from '@nestjs/graphql';
import { CurrentActor, TeamAccess } from '../../common/auth/access.decorator.js';
import type { Actor } from '../../common/auth/actor.js';
import { InputArg } from '../../graphql/args.js';
import { GraphqlAudited, PayloadMutation } from '../../graphql/mutation-payload.js';
import { ConfigVarsType } from '../environments/models/environment-parts.types.js';
import { Audited } from '../audit/audited.decorator.js';
import { ConfigVarsService } from './config-vars.service.js';
import { UpdateConfigVarsMutationInput } from './dto/config-vars.mutation-input.js';
import { UpdateConfigVarsPayload } from './models/config-vars.payloads.js';
import { APP_REF, ENVIRONMENT_REF } from '../../graphql/refs.js';

@Resolver(() => ConfigVarsType)
export class ConfigVarsResolver {
  constructor(private readonly service: ConfigVarsService) {}

  // Reading secrets is audited too (who saw them), with the keys only, as on REST.
  @Query(() => ConfigVarsType, { description: "An environment's config vars with their values (audited as a reveal)" })
  @Audited('config_vars.reveal', 'environment')
  @GraphqlAudited()
  @TeamAccess('viewer')
  configVars(@CurrentActor() actor: Actor, @Args(...APP_REF) app: string, @Args(...ENVIRONMENT_REF) environment: string) {
    return this.service.get(actor, app, environment);
  }

  @PayloadMutation(UpdateConfigVarsPayload, 'Set and unset config vars; creates a release when the environment has one; expectedVersion honoured like If-Match (PATCH /v1/apps/{app}/environments/{env}/config-vars)')
  @Audited('config_vars.update', 'environment')
  @TeamAccess('developer')
  updateConfigVars(@CurrentActor() actor: Actor, @InputArg() input: UpdateConfigVarsMutationInput) {
    return this.service.update(actor, input.app, input.environment, input, input.expectedVersion ?? undefined);
  }
}
