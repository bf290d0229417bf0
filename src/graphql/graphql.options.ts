// Apollo on Fastify at /graphql, graphql-ws subscriptions on the same path, code-first schema.
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import type { ApolloDriverConfig } from '@nestjs/apollo';
import type { FastifyRequest } from 'fastify';
import { GraphQLError, parse, type ExecutionResult, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import type { AccessRevocation } from '../modules/auth/access-revocation.js';
import type { AuthGuard } from '../modules/auth/auth.guard.js';
import { DomainError } from '../common/errors/domain-error.js';
import { answerAppTeamFromRef } from '../modules/apps/app-team-ref.js';
import { isWsContext, wsAuthorization, wsClientAddress, wsRequest, type GqlContext, type GqlRequest, type WsConnectionContext } from './context.js';
import { formatExecutionResult, formatGraphqlError } from './errors/format-error.js';
import { checkNoNul, checkOperation, fragmentsOf, type GraphqlLimits } from './guardrails/guardrails.js';
import type { OperationGate } from './guardrails/operation-gate.js';
import type { LoadersFactory } from './loaders/loaders.js';
import type { MetricsService } from '../common/metrics/metrics.service.js';
import { resolveNodeIds } from './nodes/node-ids.js';
import { berthRequestPlugin } from './request-plugin.js';

export const GRAPHQL_PATH = '/graphql';

/** Tokens a GraphQL document may have: far above any real query, far below a 5,000-level literal. */
export const MAX_DOCUMENT_TOKENS = 10_000;

/** graphql-ws close codes: 4401 the token stopped being valid, 4403 a role it relied on was lost. */
export const WS_CLOSE_REVOKED = 4401;
export const WS_CLOSE_FORBIDDEN = 4403;

export interface GraphqlOptionsInput {
  introspection: boolean;
  limits: GraphqlLimits;
  loaders: LoadersFactory;
  auth: AuthGuard;
  gate: OperationGate;
  revocation: AccessRevocation;
  metrics: MetricsService;
  /** BERTH_TRUST_PROXY: WebSocket client addresses from X-Forwarded-For, as for HTTP. */
  trustProxy: boolean;
}

interface WsExtra {
  request?: { headers: Record<string, string | string[] | undefined>; socket?: { remoteAddress?: string } };
  socket?: { close(code: number, reason: string): void };
  /** Unregisters the connection from AccessRevocation. */
  unregister?: () => void;
}

interface WsServerContext {
  connectionParams?: Readonly<Record<string, unknown>>;
  extra: unknown;
}

const extraOf = (ctx: WsServerContext): WsExtra => ctx.extra as WsExtra;

/** Errors graphql-ws sends itself (not through Apollo's formatter): formatted the same way first. */
function wsErrors(error: unknown): GraphQLError[] {
  const graphql = error instanceof GraphQLError ? error : new GraphQLError(error instanceof Error ? error.message : 'refused', { originalError: error instanceof Error ? error : undefined });
  const formatted = formatGraphqlError(graphql.toJSON(), graphql);
  return [new GraphQLError(formatted.message, { extensions: formatted.extensions })];
}

/** Descriptions of the root types (code-first NestJS has no place to declare them). */
const ROOT_DESCRIPTIONS = {
  query: 'Reads: the same objects and access rules as the REST GETs',
  mutation: 'Changes: each one a REST operation\'s twin (same input classes, audit and idempotency)',
  subscription: 'Live updates over graphql-ws, authorised like the matching reads',
} as const;

export function describeRootTypes(schema: GraphQLSchema): GraphQLSchema {
  const roots = { query: schema.getQueryType(), mutation: schema.getMutationType(), subscription: schema.getSubscriptionType() };
  for (const [kind, type] of Object.entries(roots)) if (type) type.description = ROOT_DESCRIPTIONS[kind as keyof typeof ROOT_DESCRIPTIONS];
  return schema;
}

export function apolloOptions({ introspection, limits, loaders, auth, gate, revocation, metrics, trustProxy }: GraphqlOptionsInput): ApolloDriverConfig {
  let schema: GraphQLSchema | undefined;
  return {
    path: GRAPHQL_PATH,
    autoSchemaFile: true,
    sortSchema: true,
    transformSchema: (built: GraphQLSchema) => describeRootTypes(answerAppTeamFromRef(resolveNodeIds(built))),
    graphiql: false,
    introspection,
    includeStacktraceInErrorResponses: false,
    allowBatchedHttpRequests: true,
    // Bounds the parser's work (and its recursion) before any limit below can be checked.
    parseOptions: { maxTokens: MAX_DOCUMENT_TOKENS },
    formatError: formatGraphqlError,
    // @nestjs/apollo's plugin that sets 200 on answers with data is folded into Berth's own (one
    // listener per request instead of two; see berthRequestPlugin).
    preserveHttpStatusForExecutionErrors: false,
    plugins: [
      // Also keeps the executable schema for the graphql-ws checks below (they run outside Apollo):
      // every plugin costs each request a promise or two, even one without request hooks.
      { ...berthRequestPlugin({ metrics, limits, gate, loaders, formatError: formatGraphqlError }), serverWillStart: async ({ schema: s }) => void (schema = s) },
      // Apollo's cache-control plugin wraps every field's resolver to collect cache hints Berth never
      // gives (row 3's profile, docs/performance.md); its one effect here was `no-store`, set above.
      ApolloServerPluginCacheControlDisabled(),
      // Berth is no federation subgraph: no per-request listener for inline traces.
      ApolloServerPluginInlineTraceDisabled(),
    ],
    context: (arg: FastifyRequest | WsConnectionContext): GqlContext => ({
      req: isWsContext(arg) ? wsRequest(arg, trustProxy) : (arg as unknown as GqlRequest),
      loaders: loaders.create({ cache: !isWsContext(arg) }),
    }),
    subscriptions: {
      'graphql-ws': {
        path: GRAPHQL_PATH,
        onNext: (_ctx: unknown, _id: string, _payload: unknown, _args: unknown, result: ExecutionResult) => formatExecutionResult(result),
        // Refuse the connection itself without a valid token (or over the caller's rate limit); each
        // subscription is authorised again. The connection closes when the token is revoked or
        // expires, or a team role it had is lowered, on whichever replica that happened.
        onConnect: async (ctx: WsServerContext) => {
          const extra = extraOf(ctx);
          const ip = wsClientAddress(extra.request, trustProxy);
          try {
            const actor = await auth.authenticate(wsAuthorization({ connectionParams: ctx.connectionParams, extra: {} }), ip);
            await gate.admitConnection(actor, ip);
            extra.unregister = revocation.register(actor, (reason) =>
              extra.socket?.close(/token/.test(reason) ? WS_CLOSE_REVOKED : WS_CLOSE_FORBIDDEN, reason.slice(0, 120)),
            );
            return true;
          } catch {
            return false;
          }
        },
        onClose: (ctx: WsServerContext) => extraOf(ctx).unregister?.(),
        // Subscriptions get the HTTP limits (depth, cost, NUL, rate) too: graphql-ws bypasses Apollo's plugins.
        onSubscribe: async (ctx: WsServerContext, _id: string, payload: { query: string; variables?: Record<string, unknown> | null }) => {
          if (!schema) return undefined;
          try {
            const document = parse(payload.query, { maxTokens: MAX_DOCUMENT_TOKENS });
            const variables = payload.variables ?? {};
            checkNoNul(document, variables);
            const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === 'OperationDefinition');
            if (!operation) return undefined;
            const facts = checkOperation(schema, operation, fragmentsOf(document), variables, limits);
            await gate.admit(wsRequest({ connectionParams: ctx.connectionParams, extra: extraOf(ctx) }, trustProxy), operation, facts);
            return undefined;
          } catch (err) {
            if (err instanceof GraphQLError && err.extensions?.http === undefined && !(err.originalError instanceof DomainError) && err.extensions?.limit === undefined) {
              return undefined; // a syntax error: graphql-ws reports it as usual
            }
            return wsErrors(err);
          }
        },
      },
    },
  };
}
