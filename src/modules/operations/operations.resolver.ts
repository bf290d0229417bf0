import { Args, Mutation, Query, Resolver, Subscription } from '@nestjs/graphql';
import { Authenticated, CurrentActor, TeamAccess } from '../../common/auth/access.decorator.js';
import type { Actor } from '../../common/auth/actor.js';
import { IDEMPOTENCY_KEY_ARG } from '../../graphql/args.js';
import { EnvironmentType } from '../environments/models/environment.types.js';
import { DriftEventType, LogLineType, SizeType } from '../clusters/models/cluster.types.js';
import { Audited } from '../audit/audited.decorator.js';
import { sizeModels } from '../sizes/models/size.model.js';
import { OperationsService } from './operations.service.js';
import { APP_REF, ENVIRONMENT_REF } from '../../graphql/refs.js';

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
  drift(@CurrentActor() actor: Actor, @Args(...APP_REF) app: string, @Args(...ENVIRONMENT_REF) environment: string) {
    return this.service.drift(actor, app, environment);
  }

  @Subscription(() => LogLineType, { resolve: (line: LogLineType) => line, description: "Log lines of an environment's pods as they are written (developers and above)" })
  @TeamAccess('developer')
  async logs(@CurrentActor() actor: Actor, @Args(...APP_REF) app: string, @Args(...ENVIRONMENT_REF) environment: string, @Args('processType', { nullable: true, description: 'Only the pods of this process type' }) processType?: string) {
    // The stream ends (and the pod log requests are cancelled) when the subscriber goes away.
    const aborter = new AbortController();
    const lines = await this.service.logs(actor, app, environment, { follow: true, tail: 20, ...(processType ? { process_type: processType } : {}) }, aborter.signal);
    const iterator = lines[Symbol.asyncIterator]();
    return {
      next: () => iterator.next(),
      return: async () => {
        aborter.abort();
        return { done: true as const, value: undefined };
      },
      [Symbol.asyncIterator]() {
        return this;
      },
    };
  }

  @Query(() => [SizeType], { description: 'The catalogue of process sizes' })
  @Authenticated()
  sizes() {
    return sizeModels();
  }
}
