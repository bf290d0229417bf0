import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Authenticated, CurrentActor, TeamAccess } from '../../common/auth/access.decorator.js';
import type { Actor } from '../../common/auth/actor.js';
import { IDEMPOTENCY_KEY_ARG } from '../../graphql/args.js';
import { EnvironmentType } from '../../graphql/types/app.types.js';
import { DriftEventType, SizeType } from '../../graphql/types/cluster.types.js';
import { Audited } from '../audit/audited.decorator.js';
import { sizeModels } from '../sizes/sizes.controller.js';
import { OperationsService } from './operations.service.js';

@Resolver()
export class OperationsResolver {
  constructor(private readonly service: OperationsService) {}

  @Mutation(() => EnvironmentType, { description: 'Rolling restart of every process (no new release)' })
  @TeamAccess('developer')
  @Audited('environment.restart', 'environment')
  restartEnvironment(@CurrentActor() actor: Actor, @Args('app') app: string, @Args('environment') environment: string, @Args(...IDEMPOTENCY_KEY_ARG) _key?: string) {
    return this.service.restart(actor, app, environment);
  }

  @Query(() => [DriftEventType], { description: 'Drift found and repaired on the cluster, newest first' })
  @TeamAccess('viewer')
  drift(@CurrentActor() actor: Actor, @Args('app') app: string, @Args('environment') environment: string) {
    return this.service.drift(actor, app, environment);
  }

  @Query(() => [SizeType], { description: 'The catalogue of process sizes' })
  @Authenticated()
  sizes() {
    return sizeModels();
  }
}
