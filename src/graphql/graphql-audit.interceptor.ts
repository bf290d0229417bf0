// The GraphQL twin of AuditInterceptor and RequestContextInterceptor: every operation runs in the
// request context (request id, caller, address) and an `@Audited` mutation runs in ONE transaction
// with its audit event and, given `idempotencyKey`, its stored answer (same rules as the REST header).
import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { GqlExecutionContext } from '@nestjs/graphql';
import type { GraphQLResolveInfo } from 'graphql';
import { defer, lastValueFrom, Observable } from 'rxjs';
import { requestContext, type RequestContext } from '../common/context/request-context.js';
import { TransactionHost } from '../database/prisma.service.js';
import { describeTarget } from '../modules/audit/audit.interceptor.js';
import { AuditService } from '../modules/audit/audit.service.js';
import { AUDITED_KEY, type AuditedRoute } from '../modules/audit/audited.decorator.js';
import { IdempotencyService } from '../modules/idempotency/idempotency.service.js';
import type { GqlContext, GqlRequest } from './context.js';

function header(req: GqlRequest, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Without a change noted by the service: a creation's result is its "after"; a deletion has none. */
function defaultChange(action: string, result: unknown): unknown {
  if (result === undefined || result === null || typeof result !== 'object') return null;
  return /\.(create|add|recompute|restart)$/.test(action) ? { before: null, after: result } : { after: result };
}

@Injectable()
export class GraphqlAuditInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly tx: TransactionHost,
    private readonly audit: AuditService,
    private readonly idempotency: IdempotencyService,
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
    return defer(() =>
      this.tx.run(async () => {
        const scope = `user:${req.actor?.userId ?? 'anonymous'}`;
        const { idempotencyKey: _key, ...input } = args;
        const fingerprint = IdempotencyService.fingerprint(`graphql ${field}`, input);
        if (key) {
          const replay = await this.idempotency.begin(scope, key, fingerprint);
          if (replay) return replay.body;
        }
        const result: unknown = await lastValueFrom(next.handle(), { defaultValue: undefined });
        const ctx = requestContext.get();
        await this.audit.record({ action: route.action, target: describeTarget(route, result, ctx?.scope), change: ctx?.change ?? defaultChange(route.action, result) });
        if (key) await this.idempotency.complete(scope, key, fingerprint, 200, result ?? null);
        return result;
      }),
    );
  }
}
