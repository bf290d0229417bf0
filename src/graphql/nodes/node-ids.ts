// `id` (global) and `uuid` of every Node type as plain synchronous resolvers, set on the executable
// schema: as Nest field resolvers (ResolveField on the Node interface) each of them went through
// Nest's parameter pipeline and a promise per object, which showed in row 3's profile
// (docs/performance.md, Profiles).
import { GraphQLObjectType, type GraphQLSchema } from 'graphql';
import { NODE_ALIASES, toGlobalId, type NodeTypeName } from './global-id.js';

/** An object's key: its uuid, or for an audit event its sequence number. */
export function nodeKey(node: { id?: string; seq?: string }): string {
  return node.id ?? node.seq!;
}

export function resolveNodeIds(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!(type instanceof GraphQLObjectType) || !type.getInterfaces().some((i) => i.name === 'Node')) continue;
    const name = NODE_ALIASES[type.name] ?? (type.name as NodeTypeName);
    const fields = type.getFields();
    if (fields.id) fields.id.resolve = (node: { id?: string; seq?: string }) => toGlobalId(name, nodeKey(node));
    if (fields.uuid) fields.uuid.resolve = (node: { id?: string; seq?: string }) => nodeKey(node);
  }
  return schema;
}
