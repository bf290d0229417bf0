import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { CurrentActor, TeamAccess } from '../../common/auth/access.decorator.js';
import type { Actor } from '../../common/auth/actor.js';
import { EXPECTED_VERSION_ARG, IDEMPOTENCY_KEY_ARG } from '../../graphql/args.js';
import { FormationType } from '../environments/models/environment-parts.types.js';
import { Audited } from '../audit/audited.decorator.js';
import { UpdateFormationInput } from './dto/formation.input.js';
import { FormationService } from './formation.service.js';
import { APP_REF, ENVIRONMENT_REF } from '../../graphql/refs.js';

@Resolver(() => FormationType)
export class FormationResolver {
  constructor(private readonly service: FormationService) {}

  @Query(() => FormationType, { description: "An environment's process types" })
  @TeamAccess('viewer')
  formation(@CurrentActor() actor: Actor, @Args(...APP_REF) app: string, @Args(...ENVIRONMENT_REF) environment: string) {
    return this.service.get(actor, app, environment);
  }

  @Mutation(() => FormationType, { description: 'Create or change process types (scale, resize, autoscale)' })
  @Audited('formation.update', 'formation')
  @TeamAccess('developer')
  updateFormation(@CurrentActor() actor: Actor, @Args('app') app: string, @Args('environment') environment: string, @Args('input') input: UpdateFormationInput, @Args(...EXPECTED_VERSION_ARG) expectedVersion?: number, @Args(...IDEMPOTENCY_KEY_ARG) _key?: string) {
    return this.service.update(actor, app, environment, input, expectedVersion ?? undefined);
  }

  @Mutation(() => Boolean)
  @Audited('process_type.delete', 'process_type')
  @TeamAccess('developer')
  async deleteProcessType(@CurrentActor() actor: Actor, @Args('app') app: string, @Args('environment') environment: string, @Args('type') type: string, @Args(...IDEMPOTENCY_KEY_ARG) _key?: string) {
    return this.service.delete(actor, app, environment, type).then(() => true);
  }
}
