// `App.team` answered from the app's own team reference when the selection asks for no more than
// the reference holds. The app is read joined with its team's id and name (as for REST), so such a
// selection needs no query; as the Nest `@ResolveField` it still went through Nest's parameter
// pipeline (four parameters, each through the global ValidationPipe) and made graphql-js await the
// whole app object: ~60 promises per request, each paying AsyncLocalStorage's hooks (row 3's
// profile, docs/performance.md "Third pass"). Set on the executable schema (as Node ids are, see
// src/graphql/nodes/node-ids.ts) in front of the Nest resolver, which loads the team for anything else.
import { GraphQLObjectType, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import type { GqlContext } from '../../graphql/context.js';
import { selectsOnly } from '../../graphql/selection.js';
import type { AppModel } from './models/app.model.js';

/** Team fields the app's embedded team reference answers without loading the team. */
export const TEAM_REF_FIELDS: ReadonlySet<string> = new Set(['__typename', 'id', 'uuid', 'name', 'role']);

export function answerAppTeamFromRef(schema: GraphQLSchema): GraphQLSchema {
  const app = schema.getType('App');
  const field = app instanceof GraphQLObjectType ? app.getFields().team : undefined;
  const loading = field?.resolve;
  if (!field || !loading) throw new Error('App.team has no resolver to put the reference in front of');
  const resolve: GraphQLFieldResolver<AppModel, GqlContext> = (parent, args, ctx, info) => {
    const actor = ctx.req.actor;
    // Without an actor the Nest resolver answers (CurrentActor refuses it, as on every field).
    if (!actor || !selectsOnly(info, TEAM_REF_FIELDS)) return loading(parent, args, ctx, info);
    return { id: parent.team.id, name: parent.team.name, role: actor.teamRoles.get(parent.team.id) ?? null };
  };
  field.resolve = resolve as GraphQLFieldResolver<unknown, unknown>;
  return schema;
}
