// Limits checked before execution, with variables applied: depth, a cost budget (each object field
// costs 1; a connection multiplies its selection by its page size), page-size bounds on `first`,
// and (in the HTTP hook) how many operations one batched request may carry.
import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, Kind, type FragmentDefinitionNode, type OperationDefinitionNode, type SelectionSetNode, type ValueNode } from 'graphql';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../../common/pagination/pagination.js';

export interface GraphqlLimits {
  maxDepth: number;
  maxCost: number;
  maxBatch: number;
}

export const DEFAULT_LIMITS: GraphqlLimits = { maxDepth: 10, maxCost: 5000, maxBatch: 10 };

export function limitError(limit: 'depth' | 'cost' | 'first' | 'batch', max: number, actual: number, message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { limit, max, actual, http: { status: 400 } } });
}

interface Walk {
  fragments: Record<string, FragmentDefinitionNode>;
  variables: Record<string, unknown>;
  depth: number;
}

function argValue(node: ValueNode, variables: Record<string, unknown>): unknown {
  if (node.kind === Kind.VARIABLE) return variables[node.name.value];
  if (node.kind === Kind.INT) return Number(node.value);
  return undefined;
}

/** Cost of a selection set; records the deepest field level seen in walk.depth. */
function cost(set: SelectionSetNode, walk: Walk, level: number, seen: Set<string>): number {
  let total = 0;
  for (const selection of set.selections) {
    if (selection.kind === Kind.FRAGMENT_SPREAD) {
      const fragment = walk.fragments[selection.name.value];
      if (fragment && !seen.has(fragment.name.value)) total += cost(fragment.selectionSet, walk, level, new Set([...seen, fragment.name.value]));
      continue;
    }
    if (selection.kind === Kind.INLINE_FRAGMENT) {
      total += cost(selection.selectionSet, walk, level, seen);
      continue;
    }
    walk.depth = Math.max(walk.depth, level);
    if (!selection.selectionSet) continue;
    const firstArg = selection.arguments?.find((a) => a.name.value === 'first');
    const first = firstArg ? argValue(firstArg.value, walk.variables) : undefined;
    if (typeof first === 'number' && (first < 1 || first > MAX_PAGE_SIZE)) {
      throw limitError('first', MAX_PAGE_SIZE, first, `first must be between 1 and ${MAX_PAGE_SIZE} (got ${first} on ${selection.name.value})`);
    }
    const isConnection = selection.selectionSet.selections.some((s) => s.kind === Kind.FIELD && s.name.value === 'edges');
    const multiplier = isConnection ? (typeof first === 'number' ? first : DEFAULT_PAGE_SIZE) : 1;
    total += 1 + multiplier * cost(selection.selectionSet, walk, level + 1, seen);
  }
  return total;
}

export function checkOperation(operation: OperationDefinitionNode, fragments: Record<string, FragmentDefinitionNode>, variables: Record<string, unknown>, limits: GraphqlLimits): void {
  const walk: Walk = { fragments, variables, depth: 0 };
  const total = cost(operation.selectionSet, walk, 1, new Set());
  if (walk.depth > limits.maxDepth) throw limitError('depth', limits.maxDepth, walk.depth, `the query is ${walk.depth} levels deep; the maximum depth is ${limits.maxDepth}`);
  if (total > limits.maxCost) throw limitError('cost', limits.maxCost, total, `the query would cost ${total}; the cost budget is ${limits.maxCost} (lower page sizes with first)`);
}

export function guardrailsPlugin(limits: GraphqlLimits): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, document, request }) {
          const fragments: Record<string, FragmentDefinitionNode> = {};
          for (const def of document.definitions) if (def.kind === Kind.FRAGMENT_DEFINITION) fragments[def.name.value] = def;
          if (operation) checkOperation(operation, fragments, request.variables ?? {}, limits);
        },
      };
    },
  };
}
