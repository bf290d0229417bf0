import { Field, ID, InterfaceType } from '@nestjs/graphql';

/** Relay's Node: `id` is a global id (base64 of "Type:uuid"), `uuid` the id REST uses. */
@InterfaceType('Node', { resolveType: (value: { __typename?: string }) => value.__typename })
export abstract class NodeType {
  @Field(() => ID) id: string;
  @Field(() => ID, { description: 'The id REST uses' }) uuid: string;
}
