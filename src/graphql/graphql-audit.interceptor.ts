// The GraphQL twin of AuditInterceptor: an `@Audited` mutation (or audited query) runs in its own
// request context (request id, caller, address, the input's `idempotencyKey`) through the same
// transaction runner as REST (common/audit/audited-transaction.ts). A mutation's service result is
// wrapped in its payload here (mutation-payload.ts), after the audit has described it;
// `clientMutationId` is echoed and kept out of the fingerprint. Applied per operation
// (PayloadMutation, GraphqlAudited), never globally: queries run without an interceptor, in the
// request context the HTTP hooks entered (AuthGuard adds the caller to it).
import { Injectable, UseInterceptors, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { ModuleRef, Reflector } from '@nestjs/core';
import { GqlExecutionContext } from '@nestjs/graphql';
import type { GraphQLResolveInfo } from 'graphql';
import { defer, lastValueFrom, map, Observable } from 'rxjs';
import { requestContext, type RequestContext } from '../common/context/request-context.js';
import { AUDITED_KEY, type AuditedRoute } from '../common/audit/audited-route.js';
import { AuditedTransaction, type AuditedEffect } from '../common/audit/audited-transaction.js';
import type { GqlContext, GqlRequest } from './context.js';
import { PAYLOAD_KEY, toPayload, type DeletionScope, type PayloadSpec } from './payload-answer.js';

function header(req: GqlRequest, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** GraphQL has no HTTP method: the action's verb says whether the result is a new object. */
function effectOf(action: string): AuditedEffect {
  return /\.(create|add|recompute|restart)$/.test(action) ? 'create' : 'update';
}

/**
 * A mutation's one `input` argument, split into its transport options and the rest (the request
 * for the idempotency fingerprint). Queries' arguments are their own request.
 */
function mutationInput(args: Record<string, unknown>): { idempotencyKey?: string; clientMutationId?: string; input: unknown } {
  const raw = args.input;
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return { input: args };
  const { idempotencyKey, clientMutationId, ...input } = raw as Record<string, unknown>;
  return {
    ...(typeof idempotencyKey === 'string' ? { idempotencyKey } : {}),
    ...(typeof clientMutationId === 'string' ? { clientMutationId } : {}),
    input: { ...args, input },
  };
}

@Injectable()
export class GraphqlAuditInterceptor implements NestInterceptor {
  private runner: AuditedTransaction | undefined;

  // Created in each resolver's module, which need not import the audit module (see AuditInterceptor).
  constructor(
    private readonly reflector: Reflector,
    private readonly modules: ModuleRef,
  ) {}

  private get transaction(): AuditedTransaction {
    this.runner ??= this.modules.get(AuditedTransaction, { strict: false });
    if (!this.runner) throw new Error('AuditedTransaction is not provided (AuditModule missing from the application)');
    return this.runner;
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType<string>() !== 'graphql') return next.handle();
    const gql = GqlExecutionContext.create(context);
    const { req } = gql.getContext<GqlContext>();
    const info = gql.getInfo<GraphQLResolveInfo>();
    if (info.operation.operation === 'subscription') return next.handle();
    const { idempotencyKey: key, clientMutationId, input } = mutationInput(gql.getArgs<Record<string, unknown>>());
    const ctx: RequestContext = { requestId: req.id, actor: req.actor, ip: req.ip, userAgent: header(req, 'user-agent'), idempotencyKey: key };
    const route = this.reflector.get<AuditedRoute | undefined>(AUDITED_KEY, context.getHandler());
    const spec = this.reflector.get<PayloadSpec | undefined>(PAYLOAD_KEY, context.getHandler());
    // Every mutation is audited; one that were not would have no audit scope to name a deletion by.
    const answer = spec ? (result: unknown) => toPayload(spec, result, undefined) : undefined;
    const work = route ? this.audited(route, req, info.fieldName, input, key, next, spec) : answer ? next.handle().pipe(map(answer)) : next.handle();
    const echoed = spec ? work.pipe(map((payload) => ({ ...(payload as object), clientMutationId: clientMutationId ?? null }))) : work;
    return new Observable((subscriber) => requestContext.run(ctx, () => echoed.subscribe(subscriber)));
  }

  private audited(route: AuditedRoute, req: GqlRequest, field: string, input: unknown, key: string | undefined, next: CallHandler, spec: PayloadSpec | undefined): Observable<unknown> {
    const operation = {
      route,
      actor: req.actor,
      operation: `graphql ${field}`,
      input,
      idempotencyKey: key,
      status: () => 200,
      effect: effectOf(route.action),
      ...(spec ? { answer: (result: unknown, scope: DeletionScope | undefined) => toPayload(spec, result, scope) } : {}),
    };
    return defer(async () => (await this.transaction.run(operation, () => lastValueFrom(next.handle(), { defaultValue: undefined }))).result);
  }
}

/** For an `@Audited` query (a read that reveals secrets): mutations get the interceptor from PayloadMutation. */
export const GraphqlAudited = (): MethodDecorator & ClassDecorator => UseInterceptors(GraphqlAuditInterceptor);
