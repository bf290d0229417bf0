// Limits checked before execution, with variables applied (docs/graphql.md "Limits"):
// - depth (field levels) ≤ maxDepth;
// - root fields ≤ maxRootFields and aliases ≤ maxAliases (500 aliased `me` is one request doing 500
//   requests' work);
// - cost ≤ maxCost, where every field costs 1, a connection multiplies its selection by its page
//   size (`first` or `last`, else the default page size), a plain list multiplies its selection by
//   `first` or LIST_ESTIMATE (`nodes(ids:)` by the number of ids), a connection's totalCount costs
//   TOTAL_COUNT_COST (it runs a count over the whole list), and nested connections multiply
//   (apps(first:100) × environments(first:100) = 10⁴ × the inner selection);
// - page sizes `first`/`last` between 1 and MAX_PAGE_SIZE;
// - no NUL character in any string argument or variable (PostgreSQL refuses them in text);
// and (in the HTTP hook) how many operations one batched request may carry.
import {
  GraphQLError,
  Kind,
  SchemaMetaFieldDef,
  TypeMetaFieldDef,
  TypeNameMetaFieldDef,
  getNamedType,
  getNullableType,
  isListType,
  isNamedType,
  visit,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../../common/pagination/pagination.js';
import { findNul, nulProblem } from '../../common/http/body-parsing.js';

export interface GraphqlLimits {
  maxDepth: number;
  maxCost: number;
  maxBatch: number;
  maxRootFields: number;
  maxAliases: number;
}

export const DEFAULT_LIMITS: GraphqlLimits = { maxDepth: 10, maxCost: 5000, maxBatch: 10, maxRootFields: 20, maxAliases: 30 };

/** What a plain (non-connection) list field is assumed to hold when it takes no `first`. */
export const LIST_ESTIMATE = 20;

/** What selecting a connection's totalCount costs: a count query over the whole filtered list. */
export const TOTAL_COUNT_COST = 10;

export type LimitName = 'depth' | 'cost' | 'first' | 'batch' | 'root-fields' | 'aliases';

export function limitError(limit: LimitName, max: number, actual: number, message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { limit, max, actual, http: { status: 400 } } });
}

export interface OperationFacts {
  cost: number;
  depth: number;
  rootFields: string[];
  aliases: number;
}

interface Walk {
  schema: GraphQLSchema;
  fragments: Record<string, FragmentDefinitionNode>;
  variables: Record<string, unknown>;
  depth: number;
  aliases: number;
  /** Whether a variable's value entered the figures (then they hold for these variables only). */
  usedVariables: boolean;
}

function argValue(node: ValueNode, walk: Walk): unknown {
  if (node.kind === Kind.VARIABLE) {
    walk.usedVariables = true;
    return walk.variables[node.name.value];
  }
  if (node.kind === Kind.INT) return Number(node.value);
  return undefined;
}

/** How many ids a `nodes(ids:)` argument holds (a list literal or a list variable). */
function idCount(node: ValueNode | undefined, walk: Walk): number | undefined {
  if (!node) return undefined;
  if (node.kind === Kind.LIST) return node.values.length;
  if (node.kind === Kind.VARIABLE) {
    walk.usedVariables = true;
    const value = walk.variables[node.name.value];
    return Array.isArray(value) ? value.length : undefined;
  }
  return 1;
}

function fieldDef(schema: GraphQLSchema, parent: GraphQLNamedType | undefined, name: string): GraphQLField<unknown, unknown> | undefined {
  if (name === '__typename') return TypeNameMetaFieldDef;
  if (name === '__schema') return SchemaMetaFieldDef;
  if (name === '__type') return TypeMetaFieldDef;
  if (!parent || !('getFields' in parent)) return undefined;
  return (parent.getFields() as Record<string, GraphQLField<unknown, unknown>>)[name];
}

const isConnection = (type: GraphQLNamedType | undefined) => !!type && /Connection$/.test(type.name);

/**
 * Cost of a selection set under `parent`; records depth and aliases in walk. Under a connection,
 * `pageSize` multiplies what is selected per item (edges, nodes) and nothing else (pageInfo, totalCount).
 */
function cost(set: SelectionSetNode, parent: GraphQLNamedType | undefined, walk: Walk, level: number, seen: Set<string>, pageSize = 1): number {
  let total = 0;
  for (const selection of set.selections) {
    if (selection.kind === Kind.FRAGMENT_SPREAD) {
      const fragment = walk.fragments[selection.name.value];
      if (fragment && !seen.has(fragment.name.value)) {
        const type = walk.schema.getType(fragment.typeCondition.name.value) ?? parent;
        total += cost(fragment.selectionSet, type, walk, level, new Set([...seen, fragment.name.value]), pageSize);
      }
      continue;
    }
    if (selection.kind === Kind.INLINE_FRAGMENT) {
      const type = selection.typeCondition ? (walk.schema.getType(selection.typeCondition.name.value) ?? parent) : parent;
      total += cost(selection.selectionSet, type, walk, level, seen, pageSize);
      continue;
    }
    walk.depth = Math.max(walk.depth, level);
    if (selection.alias) walk.aliases++;
    let first: unknown;
    for (const name of ['first', 'last'] as const) {
      const arg = selection.arguments?.find((a) => a.name.value === name);
      const size = arg ? argValue(arg.value, walk) : undefined;
      if (typeof size === 'number' && (size < 1 || size > MAX_PAGE_SIZE)) {
        throw limitError('first', MAX_PAGE_SIZE, size, `${name} must be between 1 and ${MAX_PAGE_SIZE} (got ${size} on ${selection.name.value})`);
      }
      first ??= size;
    }
    if (selection.name.value === 'nodes') first = idCount(selection.arguments?.find((a) => a.name.value === 'ids')?.value, walk) ?? first;
    // A connection's edges/nodes lists are what its page size counts.
    const perItem = isConnection(parent) && (selection.name.value === 'edges' || selection.name.value === 'nodes') ? pageSize : 1;
    if (!selection.selectionSet) {
      total += selection.name.value === 'totalCount' && isConnection(parent) ? TOTAL_COUNT_COST : perItem;
      continue;
    }
    const def = fieldDef(walk.schema, parent, selection.name.value);
    const type = def ? getNamedType(def.type) : undefined;
    const list = def ? isListType(getNullableType(def.type)) : false;
    const size = typeof first === 'number' ? first : undefined;
    const named = isNamedType(type) ? type : undefined;
    if (isConnection(type)) total += perItem * (1 + cost(selection.selectionSet, named, walk, level + 1, seen, size ?? DEFAULT_PAGE_SIZE));
    else total += perItem * (1 + (list && !isConnection(parent) ? (size ?? LIST_ESTIMATE) : 1) * cost(selection.selectionSet, named, walk, level + 1, seen));
  }
  return total;
}

function rootFieldNames(set: SelectionSetNode, fragments: Record<string, FragmentDefinitionNode>, seen = new Set<string>()): string[] {
  const names: string[] = [];
  for (const selection of set.selections) {
    if (selection.kind === Kind.FIELD) names.push(selection.name.value);
    else if (selection.kind === Kind.INLINE_FRAGMENT) names.push(...rootFieldNames(selection.selectionSet, fragments, seen));
    else if (!seen.has(selection.name.value) && fragments[selection.name.value]) {
      seen.add(selection.name.value);
      names.push(...rootFieldNames(fragments[selection.name.value]!.selectionSet, fragments, seen));
    }
  }
  return names;
}

function rootType(schema: GraphQLSchema, operation: OperationDefinitionNode): GraphQLNamedType | undefined {
  return (operation.operation === 'mutation' ? schema.getMutationType() : operation.operation === 'subscription' ? schema.getSubscriptionType() : schema.getQueryType()) ?? undefined;
}

/** Checks every limit; returns what the rate limiter needs (cost, root fields). */
export function checkOperation(schema: GraphQLSchema, operation: OperationDefinitionNode, fragments: Record<string, FragmentDefinitionNode>, variables: Record<string, unknown>, limits: GraphqlLimits): OperationFacts {
  return measureOperation(schema, operation, fragments, variables, limits).facts;
}

function measureOperation(schema: GraphQLSchema, operation: OperationDefinitionNode, fragments: Record<string, FragmentDefinitionNode>, variables: Record<string, unknown>, limits: GraphqlLimits): { facts: OperationFacts; usedVariables: boolean } {
  const walk: Walk = { schema, fragments, variables, depth: 0, aliases: 0, usedVariables: false };
  const rootFields = rootFieldNames(operation.selectionSet, fragments);
  if (rootFields.length > limits.maxRootFields) {
    throw limitError('root-fields', limits.maxRootFields, rootFields.length, `the operation has ${rootFields.length} root fields; the maximum is ${limits.maxRootFields} (send several requests)`);
  }
  const total = cost(operation.selectionSet, rootType(schema, operation), walk, 1, new Set());
  if (walk.aliases > limits.maxAliases) throw limitError('aliases', limits.maxAliases, walk.aliases, `the operation uses ${walk.aliases} aliases; the maximum is ${limits.maxAliases}`);
  if (walk.depth > limits.maxDepth) throw limitError('depth', limits.maxDepth, walk.depth, `the query is ${walk.depth} levels deep; the maximum depth is ${limits.maxDepth}`);
  if (total > limits.maxCost) throw limitError('cost', limits.maxCost, total, `the query would cost ${total}; the cost budget is ${limits.maxCost} (lower page sizes with first)`);
  return { facts: { cost: total, depth: walk.depth, rootFields, aliases: walk.aliases }, usedVariables: walk.usedVariables };
}

/** A NUL character in a string literal or a variable: a 422-like error naming the argument. */
export function checkNoNul(document: DocumentNode, variables: Record<string, unknown>): void {
  nulProblemOf(literalWithNul(document) ?? findNul(variables, 'variables'));
}

/** The argument whose string literal holds a NUL character, if any. */
function literalWithNul(document: DocumentNode): string | undefined {
  let offending: string | undefined;
  visit(document, {
    Argument(node) {
      if (offending) return;
      let found = false;
      visit(node.value, {
        StringValue(value) {
          if (value.value.includes('\u0000')) found = true;
        },
      });
      if (found) offending = node.name.value;
    },
  });
  return offending;
}

function nulProblemOf(field: string | undefined): void {
  if (field) {
    throw new GraphQLError(`${field}: must not contain NUL characters (\\u0000)`, { originalError: nulProblem(field), extensions: { http: { status: 400 } } });
  }
}

export function fragmentsOf(document: DocumentNode): Record<string, FragmentDefinitionNode> {
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const def of document.definitions) if (def.kind === Kind.FRAGMENT_DEFINITION) fragments[def.name.value] = def;
  return fragments;
}

/** Runs after the limits: authenticates once for the whole operation and applies rate limits. */
export interface OperationAdmission {
  admit(req: unknown, operation: OperationDefinitionNode, facts: OperationFacts): Promise<void>;
}

/**
 * What the checks found in one parsed document. Apollo keeps each document it has parsed and
 * validated (its document store, keyed by the query text), so a client repeating a query hands
 * the plugin the same DocumentNode: what depends on the document alone is worked out once.
 */
interface DocumentFacts {
  fragments: Record<string, FragmentDefinitionNode>;
  /** The argument with a NUL in a string literal, if any. */
  nulLiteral: string | undefined;
  /** Per operation, its facts when no variable's value entered them (else they are recomputed). */
  operations: WeakMap<OperationDefinitionNode, OperationFacts>;
}

/** The guardrails of one set of limits, remembering per document what does not depend on variables. */
export class OperationChecks {
  private readonly documents = new WeakMap<DocumentNode, DocumentFacts>();

  constructor(private readonly limits: GraphqlLimits) {}

  check(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, variables: Record<string, unknown>): OperationFacts {
    let known = this.documents.get(document);
    if (!known) {
      known = { fragments: fragmentsOf(document), nulLiteral: literalWithNul(document), operations: new WeakMap() };
      this.documents.set(document, known);
    }
    nulProblemOf(known.nulLiteral ?? findNul(variables, 'variables'));
    const cached = known.operations.get(operation);
    if (cached) return cached;
    // Throws when a limit is exceeded: such a document is never remembered, so it is refused every time.
    const { facts, usedVariables } = measureOperation(schema, operation, known.fragments, variables, this.limits);
    if (!usedVariables) known.operations.set(operation, facts);
    return facts;
  }
}
