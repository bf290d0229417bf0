import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { CurrentActor, TeamAccess } from '../../common/auth/access.decorator.js';
import type { Actor } from '../../common/auth/actor.js';
import { EXPECTED_VERSION_ARG, IDEMPOTENCY_KEY_ARG } from '../../graphql/args.js';
import { ConfigVarsType, ConfigVarsUpdateType } from '../environments/models/environment-parts.types.js';
import { Audited } from '../audit/audited.decorator.js';
import { ConfigVarsService } from './config-vars.service.js';
import { UpdateConfigVarsInput } from './dto/update-config-vars.input.js';
import { APP_REF, ENVIRONMENT_REF } from '../../graphql/refs.js';

@Resolver(() => ConfigVarsType)
export class ConfigVarsResolver {
  constructor(private readonly service: ConfigVarsService) {}

  // Reading secrets is audited too (who saw them), with the keys only, as on REST.
  @Query(() => ConfigVarsType, { description: "An environment's config vars with their values (audited as a reveal)" })
  @Audited('config_vars.reveal', 'environment')
  @TeamAccess('viewer')
  configVars(@CurrentActor() actor: Actor, @Args(...APP_REF) app: string, @Args(...ENVIRONMENT_REF) environment: string) {
    return this.service.get(actor, app, environment);
  }

  @Mutation(() => ConfigVarsUpdateType)
  @Audited('config_vars.update', 'environment')
  @TeamAccess('developer')
  updateConfigVars(@CurrentActor() actor: Actor, @Args('app') app: string, @Args('environment') environment: string, @Args('input') input: UpdateConfigVarsInput, @Args(...EXPECTED_VERSION_ARG) expectedVersion?: number, @Args(...IDEMPOTENCY_KEY_ARG) _key?: string) {
    return this.service.update(actor, app, environment, input, expectedVersion ?? undefined);
  }
}
