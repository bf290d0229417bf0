import { Args, Query, Resolver } from '@nestjs/graphql';
import { CurrentActor, TeamAccess } from '../../common/auth/access.decorator.js';
import type { Actor } from '../../common/auth/actor.js';
import { PageQuery } from '../../common/pagination/pagination.js';
import { InputArg } from '../../graphql/args.js';
import { PayloadMutation } from '../../graphql/mutation-payload.js';
import { AFTER_ARG, FIRST_ARG, pageQuery, toConnection } from '../../graphql/pagination/connection.js';
import { ReleaseConnection, ReleaseType } from './models/release.types.js';
import { Audited } from '../audit/audited.decorator.js';
import { CreateReleaseMutationInput } from './dto/release.mutation-input.js';
import { CreateReleasePayload } from './models/release.payloads.js';
import { ReleasesService } from './releases.service.js';

// Releases are immutable: deploy and rollback both create one (as POST …/releases does).
@Resolver(() => ReleaseType)
export class ReleasesResolver {
  constructor(private readonly service: ReleasesService) {}

  @Query(() => ReleaseConnection, { description: 'Newest first' })
  @TeamAccess('viewer')
  async releases(@CurrentActor() actor: Actor, @Args('app') app: string, @Args('environment') environment: string, @Args('first', FIRST_ARG) first?: number, @Args('after', AFTER_ARG) after?: string) {
    return toConnection(await this.service.list(actor, app, environment, await pageQuery(PageQuery, first, after)), (r) => r.number, after);
  }

  @Query(() => ReleaseType)
  @TeamAccess('viewer')
  release(@CurrentActor() actor: Actor, @Args('app') app: string, @Args('environment') environment: string, @Args('release', { description: 'Number, e.g. 7 or v7' }) release: string) {
    return this.service.get(actor, app, environment, release);
  }

  @PayloadMutation(CreateReleasePayload, 'Deploy an image (input.image) or roll back to an earlier release (input.rollbackTo); either makes a new release (POST /v1/apps/{app}/environments/{env}/releases)')
  @Audited('release.create', 'release')
  @TeamAccess('developer')
  createRelease(@CurrentActor() actor: Actor, @InputArg() input: CreateReleaseMutationInput) {
    return this.service.create(actor, input.app, input.environment, input);
  }
}
