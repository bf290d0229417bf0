// What a field's selection asks for, to answer a link from what the parent already holds (the
// app's embedded team reference) instead of loading the linked object.
import { Kind, type GraphQLResolveInfo } from 'graphql';

/**
 * Whether every selection of the field (all its field nodes) is a plain field named in `available`.
 * A fragment (named or inline) answers false: it may ask for more, and saying "load" is always safe.
 */
export function selectsOnly(info: Pick<GraphQLResolveInfo, 'fieldNodes'>, available: ReadonlySet<string>): boolean {
  for (const node of info.fieldNodes) {
    for (const selection of node.selectionSet?.selections ?? []) {
      if (selection.kind !== Kind.FIELD || !available.has(selection.name.value)) return false;
    }
  }
  return true;
}
