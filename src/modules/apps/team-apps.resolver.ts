// The link team → apps, so a portal can walk team → apps → environments → latest release → live
// status in one query. Authorised like `apps(team:)`: the same service call and page rules.
import { Args, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { CurrentActor } from '../../common/auth/access.decorator.js';
import type { Actor } from '../../common/auth/actor.js';
import { AFTER_ARG, FIRST_ARG, pageQuery, toConnection } from '../../graphql/pagination/connection.js';
import { TeamType } from '../teams/models/team.types.js';
import { AppsService } from './apps.service.js';
import { ListAppsPageQuery } from './dto/list-apps.query.js';
import { AppConnection } from './models/app.types.js';

@Resolver(() => TeamType)
export class TeamAppsResolver {
  constructor(private readonly service: AppsService) {}

  @ResolveField(() => AppConnection, { description: 'The team\'s apps' })
  async apps(@CurrentActor() actor: Actor, @Parent() team: { id: string }, @Args('first', FIRST_ARG) first?: number, @Args('after', AFTER_ARG) after?: string) {
    return toConnection(await this.service.list(actor, await pageQuery(ListAppsPageQuery, first, after, { team: team.id })), (a) => a.id, after);
  }
}
