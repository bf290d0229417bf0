// Berth's one Apollo plugin (src/graphql/request-plugin.ts), which replaced four (operation metrics,
// guardrails + operation gate, mutation loaders + no-store, and @nestjs/apollo's 200-with-data):
// each duty it took over, checked on the hooks Apollo calls.
import { describe, expect, it } from '@jest/globals';
import type { GraphQLRequestContext, GraphQLRequestListener } from '@apollo/server';
import { HeaderMap } from '@apollo/server';
import { readFileSync } from 'node:fs';
import { buildSchema, Kind, parse, type OperationDefinitionNode } from 'graphql';
import { MetricsService } from '../../src/common/metrics/metrics.service.js';
import type { GqlContext } from '../../src/graphql/context.js';
import { DEFAULT_LIMITS, type OperationAdmission, type OperationFacts } from '../../src/graphql/guardrails/guardrails.js';
import type { Loaders } from '../../src/graphql/loaders/loaders.js';
import { formatGraphqlError } from '../../src/graphql/errors/format-error.js';
import { berthRequestPlugin } from '../../src/graphql/request-plugin.js';

const schema = buildSchema(readFileSync(new URL('../../docs/schema.graphql', import.meta.url), 'utf8'));

class RecordingGate implements OperationAdmission {
  readonly admitted: Array<{ operation: string; facts: OperationFacts }> = [];
  async admit(_req: unknown, operation: OperationDefinitionNode, facts: OperationFacts): Promise<void> {
    this.admitted.push({ operation: operation.operation, facts });
  }
}

function setup() {
  const metrics = new MetricsService();
  const gate = new RecordingGate();
  const created: Array<{ cache?: boolean }> = [];
  const loaders = { create: (options: { cache?: boolean } = {}) => (created.push(options), { options } as unknown as Loaders) };
  const plugin = berthRequestPlugin({ metrics, limits: DEFAULT_LIMITS, gate, loaders, formatError: formatGraphqlError });
  return { metrics, gate, created, plugin };
}

type Ctx = GraphQLRequestContext<GqlContext>;

function requestContext(query: string, variables: Record<string, unknown> = {}): Ctx {
  const document = parse(query);
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
  const contextValue = { req: { id: 'r', headers: {} }, loaders: {} as Loaders } as GqlContext;
  return {
    schema,
    document,
    operation,
    operationName: operation.name?.value ?? null,
    request: { query, variables },
    contextValue,
    response: { http: { status: undefined, headers: new HeaderMap() }, body: { kind: 'single', singleResult: {} } },
  } as unknown as Ctx;
}

async function listener(plugin: ReturnType<typeof setup>['plugin'], ctx: Ctx): Promise<GraphQLRequestListener<GqlContext>> {
  const l = await plugin.requestDidStart!(ctx);
  if (!l) throw new Error('the plugin has no request listener');
  return l;
}

async function durations(metrics: MetricsService): Promise<string> {
  return (await metrics.registry.getSingleMetricAsString('berth_graphql_operation_duration_seconds')).split('\n').filter((l) => l.includes('_count')).join('\n');
}

describe('the GraphQL request plugin', () => {
  it('answers 200 when the answer carries data (a field failed), keeps the status of a refused request, and marks both no-store', async () => {
    const { plugin } = setup();
    const withData = requestContext('{ me { email } }');
    withData.response.http.status = 404;
    withData.response.body = { kind: 'single', singleResult: { data: null, errors: [{ message: 'not found' }] } };
    await (await listener(plugin, withData)).willSendResponse!(withData as never);
    expect(withData.response.http.status).toBe(200);
    expect(withData.response.http.headers.get('cache-control')).toBe('no-store');

    const refused = requestContext('{ me { email } }');
    refused.response.http.status = 429;
    refused.response.body = { kind: 'single', singleResult: { errors: [{ message: 'slow down' }] } };
    await (await listener(plugin, refused)).willSendResponse!(refused as never);
    expect(refused.response.http.status).toBe(429);
    expect(refused.response.http.headers.get('cache-control')).toBe('no-store');
  });

  it('checks the limits, then admits the operation through the gate with its facts', async () => {
    const { plugin, gate } = setup();
    const ctx = requestContext('query Mine { me { email } }');
    await (await listener(plugin, ctx)).didResolveOperation!(ctx as never);
    expect(gate.admitted).toEqual([{ operation: 'query', facts: expect.objectContaining({ cost: 2, rootFields: ['me'] }) }]);

    const nul = requestContext('{ app(app: "a\\u0000b") { name } }');
    await expect((await listener(plugin, nul)).didResolveOperation!(nul as never)).rejects.toThrow(/NUL/);
    const deep = requestContext('query($n: Int) { apps(first: $n) { edges { node { name } } } }', { n: 100_000 });
    await expect((await listener(plugin, deep)).didResolveOperation!(deep as never)).rejects.toThrow(/first/);
    expect(gate.admitted).toHaveLength(1);
  });

  it('gives a mutation fresh, uncached loaders and leaves a query the request\'s own', async () => {
    const { plugin, created } = setup();
    const query = requestContext('{ me { email } }');
    const before = query.contextValue.loaders;
    await (await listener(plugin, query)).didResolveOperation!(query as never);
    expect(query.contextValue.loaders).toBe(before);
    const mutation = requestContext('mutation { deleteApp(input: { app: "a" }) { deletedId } }');
    await (await listener(plugin, mutation)).didResolveOperation!(mutation as never);
    expect(created).toEqual([{ cache: false }]);
    expect(mutation.contextValue.loaders).not.toBe(before);
  });

  it('observes each operation by type, name and outcome', async () => {
    const { plugin, metrics } = setup();
    const ok = requestContext('query Mine { me { email } }');
    const l = await listener(plugin, ok);
    await l.didResolveOperation!(ok as never);
    ok.response.body = { kind: 'single', singleResult: { data: { me: { email: 'a@b' } } } };
    await l.willSendResponse!(ok as never);
    const failed = requestContext('{ me { email } }');
    failed.response.body = { kind: 'single', singleResult: { errors: [{ message: 'x' }] } };
    await (await listener(plugin, failed)).willSendResponse!(failed as never);
    const counts = await durations(metrics);
    expect(counts).toContain('type="query",operation="Mine",outcome="ok"} 1');
    expect(counts).toContain('type="unknown",operation="anonymous",outcome="error"} 1');
  });
});
