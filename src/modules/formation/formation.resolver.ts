import { Args, Query, Resolver } from '@nestjs/graphql';
import { CurrentActor, TeamAccess } from '../../common/auth/access.decorator.js';
import type { Actor } from '../../common/auth/actor.js';
import { InputArg } from '../../graphql/args.js';
import { PayloadMutation } from '../../graphql/mutation-payload.js';
import { FormationType } from '../environments/models/environment-parts.types.js';
import { Audited } from '../audit/audited.decorator.js';
import { DeleteProcessTypeMutationInput, UpdateFormationMutationInput } from './dto/formation.mutation-input.js';
import { DeleteProcessTypePayload, UpdateFormationPayload } from './models/formation.payloads.js';
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

  @PayloadMutation(UpdateFormationPayload, 'Create or change process types (scale, resize, autoscale); expectedVersion honoured like If-Match (PATCH /v1/apps/{app}/environments/{env}/formation)')
  @Audited('formation.update', 'formation')
  @TeamAccess('developer')
  updateFormation(@CurrentActor() actor: Actor, @InputArg() input: UpdateFormationMutationInput) {
    return this.service.update(actor, input.app, input.environment, input, input.expectedVersion ?? undefined);
  }

  @PayloadMutation(DeleteProcessTypePayload, 'Remove a process type and its pods (DELETE /v1/apps/{app}/environments/{env}/formation/{type})')
  @Audited('process_type.delete', 'process_type')
  @TeamAccess('developer')
  deleteProcessType(@CurrentActor() actor: Actor, @InputArg() input: DeleteProcessTypeMutationInput) {
    return this.service.delete(actor, input.app, input.environment, input.type);
  }
}
