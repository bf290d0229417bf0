// Berth's per-request work inside Apollo, as ONE plugin with one listener: the operation metrics,
// the guardrails and the operation gate, fresh loaders for mutations, `cache-control: no-store`, and
// the 200 for answers that carry data. Apollo awaits every hook of every listener through
// `Promise.all`, so each extra listener cost promises (and AsyncLocalStorage's hooks on each) on
// every request; as four plugins these showed in row 3's profile (docs/performance.md, "Third pass").
// Queries that come back run compiled (./compiled-queries.ts) from the same listener.
import type { ApolloServerPlugin } from '@apollo/server';
import { CompiledQueries, type ErrorFormatter } from './compiled-queries.js';
import type { GqlContext } from './context.js';
import { OperationChecks, type GraphqlLimits, type OperationAdmission } from './guardrails/guardrails.js';
import type { LoadersFactory } from './loaders/loaders.js';
import type { MetricsService } from '../common/metrics/metrics.service.js';
import { ANONYMOUS, OperationNames, UNKNOWN_TYPE } from './metrics/operation-metrics.js';

export interface RequestPluginInput {
  metrics: MetricsService;
  limits: GraphqlLimits;
  /** Authenticates once per operation and applies the rate limits (after the limits above). */
  gate: OperationAdmission;
  loaders: Pick<LoadersFactory, 'create'>;
  /** Apollo's formatError, which compiled queries' errors go through too. */
  formatError: ErrorFormatter;
  names?: OperationNames;
}

export function berthRequestPlugin({ metrics, limits, gate, loaders, formatError, names = new OperationNames() }: RequestPluginInput): ApolloServerPlugin<GqlContext> {
  const checks = new OperationChecks(limits);
  const compiled = new CompiledQueries<GqlContext>({ formatError, onExecuted: (executor) => metrics.graphqlQueryExecutions.inc({ executor }) });
  return {
    async requestDidStart() {
      const start = process.hrtime.bigint();
      // Labels of the operation-duration histogram: every request is POST /graphql to the HTTP one.
      let type = UNKNOWN_TYPE;
      let label = ANONYMOUS;
      return {
        async didResolveOperation({ operation, operationName, document, request, schema, contextValue }) {
          if (!operation) return;
          type = operation.operation;
          label = names.label(operationName ?? operation.name?.value);
          // Root mutation fields run one after another, each changing what the next may link to: their
          // links load fresh (still batched within each), as over graphql-ws (graphql.options.ts).
          if (operation.operation === 'mutation') contextValue.loaders = loaders.create({ cache: false });
          // Throws (the request is refused whole) over a limit, with a NUL, or over the rate limit.
          const facts = checks.check(schema, document, operation, request.variables ?? {});
          await gate.admit(contextValue.req, operation, facts);
        },
        responseForOperation: (context) => compiled.respond(context),
        async willSendResponse({ response }) {
          const body = response.body;
          // An answer with `data` is 200 even when a field failed with an HTTP-like error: clients read
          // it as `{ data, errors }`, not as a transport failure. This was @nestjs/apollo's
          // preserveHttpStatus plugin (turned off in graphql.options.ts); requests refused before
          // execution (no `data`) keep their status (400, 429).
          if (body.kind === 'single' && 'data' in body.singleResult) response.http.status = 200;
          // Every answer is the caller's own: no shared cache may keep it.
          response.http.headers.set('cache-control', 'no-store');
          const failed = body.kind === 'single' ? Boolean(body.singleResult.errors?.length) : false;
          metrics.graphqlOperationDuration.observe({ type, operation: label, outcome: failed ? 'error' : 'ok' }, Number(process.hrtime.bigint() - start) / 1e9);
        },
      };
    },
  };
}
