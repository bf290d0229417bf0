// The link team → apps, so a portal can walk team → apps → environments → releases → live status in
// one query. Batched across every team of the request (one query for all their apps); the team
// itself was authorised by the field that returned it, and the query names its id.
import { Args, Context, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import type { GqlContext } from '../../graphql/context.js';
import { ConnectionArgs, sliceConnection } from '../../graphql/pagination/connection.js';
import { TeamType } from '../teams/models/team.types.js';
import { AppConnection } from './models/app.types.js';
import { toAppModel } from './models/app.model.js';

@Resolver(() => TeamType)
export class TeamAppsResolver {
  @ResolveField(() => AppConnection, { description: "The team's apps, id order" })
  async apps(@Parent() team: { id: string }, @Context() ctx: GqlContext, @Args() page: ConnectionArgs) {
    return sliceConnection((await ctx.loaders.appsByTeam.load(team.id)).map(toAppModel), page);
  }
}
