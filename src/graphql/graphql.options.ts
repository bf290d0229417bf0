// Apollo on Fastify at /graphql, graphql-ws subscriptions on the same path, code-first schema.
import type { ApolloDriverConfig } from '@nestjs/apollo';
import type { FastifyRequest } from 'fastify';
import type { ExecutionResult } from 'graphql';
import type { AuthGuard } from '../modules/auth/auth.guard.js';
import { isWsContext, wsAuthorization, wsRequest, type GqlContext, type GqlRequest, type WsConnectionContext } from './context.js';
import { formatExecutionResult, formatGraphqlError } from './errors/format-error.js';
import { guardrailsPlugin, type GraphqlLimits } from './guardrails/guardrails.js';
import type { LoadersFactory } from './loaders/loaders.js';

export const GRAPHQL_PATH = '/graphql';

export interface GraphqlOptionsInput {
  introspection: boolean;
  limits: GraphqlLimits;
  loaders: LoadersFactory;
  auth: AuthGuard;
}

export function apolloOptions({ introspection, limits, loaders, auth }: GraphqlOptionsInput): ApolloDriverConfig {
  return {
    path: GRAPHQL_PATH,
    autoSchemaFile: true,
    sortSchema: true,
    graphiql: false,
    introspection,
    includeStacktraceInErrorResponses: false,
    allowBatchedHttpRequests: true,
    formatError: formatGraphqlError,
    plugins: [guardrailsPlugin(limits)],
    context: (arg: FastifyRequest | WsConnectionContext): GqlContext => ({
      req: isWsContext(arg) ? wsRequest(arg) : (arg as unknown as GqlRequest),
      loaders: loaders.create(),
    }),
    subscriptions: {
      'graphql-ws': {
        path: GRAPHQL_PATH,
        onNext: (_ctx: unknown, _id: string, _payload: unknown, _args: unknown, result: ExecutionResult) => formatExecutionResult(result),
        // Refuse the connection itself without a valid token; each subscription is authorised again.
        onConnect: async (ctx: { connectionParams?: Readonly<Record<string, unknown>> }) => {
          try {
            await auth.authenticate(wsAuthorization({ connectionParams: ctx.connectionParams, extra: {} }));
            return true;
          } catch {
            return false;
          }
        },
      },
    },
  };
}
