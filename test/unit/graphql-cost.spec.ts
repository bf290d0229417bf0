// The GraphQL cost model (src/graphql/guardrails/guardrails.ts) on the committed schema: every
// field costs 1, connections and lists multiply their selection by their page size, nested ones
// multiply again, and root fields and aliases are bounded.
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { buildSchema, Kind, parse, type OperationDefinitionNode } from 'graphql';
import { checkOperation, DEFAULT_LIMITS, fragmentsOf, OperationChecks, TOTAL_COUNT_COST, type OperationFacts } from '../../src/graphql/guardrails/guardrails.js';

const schema = buildSchema(readFileSync(new URL('../../docs/schema.graphql', import.meta.url), 'utf8'));

function facts(query: string, variables: Record<string, unknown> = {}, limits = { ...DEFAULT_LIMITS, maxCost: 1e9 }): OperationFacts {
  const document = parse(query);
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
  return checkOperation(schema, operation, fragmentsOf(document), variables, limits);
}

describe('GraphQL cost', () => {
  it('costs every field, scalars included', () => {
    expect(facts('{ me { email } }').cost).toBe(2);
    expect(facts('{ me { email name id } }').cost).toBe(4);
  });

  it('multiplies a connection by its page size, and nested connections multiply', () => {
    const one = facts('{ apps(first: 10) { edges { node { name } } } }').cost;
    expect(one).toBe(1 + 10 * (1 + 1 + 1)); // apps + 10 × (edges + node + name)
    const nested = facts('{ apps(first: 10) { edges { node { environments(first: 10) { edges { node { name } } } } } } }').cost;
    expect(nested).toBe(1 + 10 * (1 + 1 + (1 + 10 * 3)));
    expect(facts('query($n: Int) { apps(first: $n) { edges { node { name } } } }', { n: 100 }).cost).toBe(1 + 100 * 3);
  });

  it('uses the default page size when `first` is left out', () => {
    expect(facts('{ apps { edges { node { name } } } }').cost).toBe(1 + 50 * 3);
  });

  it('takes `last` as the page size too, and bounds it like `first`', () => {
    expect(facts('{ apps(last: 10) { edges { node { name } } } }').cost).toBe(1 + 10 * 3);
    expect(() => facts('{ apps(last: 101) { edges { node { name } } } }')).toThrow(/last must be between 1 and 100/);
  });

  it('charges pageInfo once per connection and totalCount as a count query, not per item', () => {
    expect(facts('{ apps(first: 10) { pageInfo { hasNextPage endCursor } } }').cost).toBe(1 + (1 + 2));
    expect(facts('{ apps(first: 10) { totalCount } }').cost).toBe(1 + TOTAL_COUNT_COST);
    // A nested connection's count runs once per parent item.
    expect(facts('{ apps(first: 10) { edges { node { environments { totalCount } } } } }').cost).toBe(1 + 10 * (1 + 1 + (1 + TOTAL_COUNT_COST)));
  });

  it('multiplies nodes(ids:) by the number of ids', () => {
    expect(facts('{ nodes(ids: ["a", "b", "c"]) { id } }').cost).toBe(1 + 3 * 1);
    expect(facts('query($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: Array.from({ length: 40 }, (_, i) => String(i)) }).cost).toBe(1 + 40);
  });

  it('counts fields in fragments once per use', () => {
    expect(facts('{ a: me { ...F } b: me { ...F } } fragment F on CurrentUser { email name }').cost).toBe(2 * 3);
  });

  it('bounds root fields and aliases', () => {
    const roots = `{ ${Array.from({ length: 21 }, (_, i) => `m${i}: me { email }`).join(' ')} }`;
    expect(() => facts(roots)).toThrow(/21 root fields; the maximum is 20/);
    expect(facts(`{ ${Array.from({ length: 20 }, (_, i) => `m${i}: me { email }`).join(' ')} }`).rootFields).toHaveLength(20);
  });

  it('refuses an operation over the budget', () => {
    expect(() => facts('{ apps(first: 100) { edges { node { environments(first: 100) { edges { node { name } } } } } } }', {}, DEFAULT_LIMITS)).toThrow(/cost budget is 5000/);
  });
});

describe('OperationChecks (the figures remembered per parsed document)', () => {
  const parsed = (query: string) => {
    const document = parse(query);
    return { document, operation: document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)! };
  };

  it('recomputes what depends on variables for every request, so a remembered document cannot pass a larger page', () => {
    const checks = new OperationChecks(DEFAULT_LIMITS);
    const { document, operation } = parsed('query($n: Int) { apps(first: $n) { edges { node { name } } } }');
    expect(checks.check(schema, document, operation, { n: 10 }).cost).toBe(1 + 10 * 3);
    expect(checks.check(schema, document, operation, { n: 100 }).cost).toBe(1 + 100 * 3);
    expect(() => checks.check(schema, document, operation, { n: 101 })).toThrow(/first must be between 1 and 100/);
  });

  it('answers the same figures for a repeated document, and still finds a NUL in every request\'s variables', () => {
    const checks = new OperationChecks(DEFAULT_LIMITS);
    const { document, operation } = parsed('query($app: String!) { app(app: $app) { name team { id name } } }');
    const first = checks.check(schema, document, operation, { app: 'a' });
    expect(checks.check(schema, document, operation, { app: 'b' })).toEqual(first);
    expect(() => checks.check(schema, document, operation, { app: 'a\u0000' })).toThrow(/variables\.app: must not contain NUL/);
  });

  it('refuses a document over a limit every time it is sent', () => {
    const checks = new OperationChecks({ ...DEFAULT_LIMITS, maxCost: 10 });
    const { document, operation } = parsed('{ apps(first: 10) { edges { node { name } } } }');
    expect(() => checks.check(schema, document, operation, {})).toThrow(/cost budget is 10/);
    expect(() => checks.check(schema, document, operation, {})).toThrow(/cost budget is 10/);
  });
});
