// The GraphQL twin of AuditInterceptor and RequestContextInterceptor: every operation runs in the
// request context (request id, caller, address) and an `@Audited` mutation runs through the same
// transaction runner as REST (common/audit/audited-transaction.ts), given `idempotencyKey` too.
import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { GqlExecutionContext } from '@nestjs/graphql';
import type { GraphQLResolveInfo } from 'graphql';
import { defer, lastValueFrom, Observable } from 'rxjs';
import { requestContext, type RequestContext } from '../common/context/request-context.js';
import { AUDITED_KEY, type AuditedRoute } from '../common/audit/audited.decorator.js';
import { AuditedTransaction, type AuditedEffect } from '../common/audit/audited-transaction.js';
import type { GqlContext, GqlRequest } from './context.js';

function header(req: GqlRequest, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** GraphQL has no HTTP method: the action's verb says whether the result is a new object. */
function effectOf(action: string): AuditedEffect {
  return /\.(create|add|recompute|restart)$/.test(action) ? 'create' : 'update';
}

@Injectable()
export class GraphqlAuditInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly transaction: AuditedTransaction,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType<string>() !== 'graphql') return next.handle();
    const gql = GqlExecutionContext.create(context);
    const { req } = gql.getContext<GqlContext>();
    const info = gql.getInfo<GraphQLResolveInfo>();
    if (info.operation.operation === 'subscription') return next.handle();
    const args = gql.getArgs<Record<string, unknown>>();
    const key = typeof args.idempotencyKey === 'string' ? args.idempotencyKey : undefined;
    const ctx: RequestContext = { requestId: req.id, actor: req.actor, ip: req.ip, userAgent: header(req, 'user-agent'), idempotencyKey: key };
    const route = this.reflector.get<AuditedRoute | undefined>(AUDITED_KEY, context.getHandler());
    const work = route ? this.audited(route, req, info.fieldName, args, key, next) : next.handle();
    return new Observable((subscriber) => requestContext.run(ctx, () => work.subscribe(subscriber)));
  }

  private audited(route: AuditedRoute, req: GqlRequest, field: string, args: Record<string, unknown>, key: string | undefined, next: CallHandler): Observable<unknown> {
    const { idempotencyKey: _key, ...input } = args;
    const operation = { route, actor: req.actor, operation: `graphql ${field}`, input, idempotencyKey: key, status: () => 200, effect: effectOf(route.action) };
    return defer(async () => (await this.transaction.run(operation, () => lastValueFrom(next.handle(), { defaultValue: undefined }))).result);
  }
}
