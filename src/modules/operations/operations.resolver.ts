import { Args, Query, Resolver, Subscription } from '@nestjs/graphql';
import { Authenticated, CurrentActor, TeamAccess } from '../../common/auth/access.decorator.js';
import type { Actor } from '../../common/auth/actor.js';
import { InputArg } from '../../graphql/args.js';
import { PayloadMutation } from '../../graphql/mutation-payload.js';
import { RestartEnvironmentInput } from '../environments/dto/environment.mutation-input.js';
import { RestartEnvironmentPayload } from '../environments/models/environment.payloads.js';
import { DriftEventType, LogLineType, SizeType } from '../clusters/models/cluster.types.js';
import { Audited } from '../audit/audited.decorator.js';
import { sizeModels } from '../sizes/models/size.model.js';
import { OperationsService } from './operations.service.js';
import { APP_REF, ENVIRONMENT_REF } from '../../graphql/refs.js';

@Resolver()
export class OperationsResolver {
  constructor(private readonly service: OperationsService) {}

  @PayloadMutation(RestartEnvironmentPayload, 'Rolling restart of every process, no new release (POST /v1/apps/{app}/environments/{env}/restart)')
  @TeamAccess('developer')
  @Audited('environment.restart', 'environment')
  restartEnvironment(@CurrentActor() actor: Actor, @InputArg() input: RestartEnvironmentInput) {
    return this.service.restart(actor, input.app, input.environment);
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
