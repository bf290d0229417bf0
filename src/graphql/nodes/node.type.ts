import { Field, ID, InterfaceType } from '@nestjs/graphql';

/** Relay's Node: `id` is a global id (base64 of "Type:key"), `uuid` the id REST uses. */
@InterfaceType('Node', { resolveType: (value: { __typename?: string }) => value.__typename, description: 'An object with a global id, fetchable again with node(id:)' })
export abstract class NodeType {
  @Field(() => ID, { description: 'Global id: pass it to node(id:) to fetch this object again' }) id: string;
  @Field(() => ID, { description: 'The id REST uses (for an audit event, its sequence number)' }) uuid: string;
}
