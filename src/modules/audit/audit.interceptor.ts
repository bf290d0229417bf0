// Wraps every audited operation in one transaction with its audit event and, when the caller sent
// an Idempotency-Key, its stored answer: the change, the event and the replay record commit
// together or not at all (a failed audit insert fails the request).
import { HTTP_CODE_METADATA } from '@nestjs/common/constants.js';
import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { defer, lastValueFrom, type Observable } from 'rxjs';
import type { Actor } from '../../common/auth/actor.js';
import { requestContext, type RequestScope } from '../../common/context/request-context.js';
import { TransactionHost } from '../../database/prisma.service.js';
import { IdempotencyService } from '../idempotency/idempotency.service.js';
import { AUDITED_KEY, type AuditedRoute } from './audited.decorator.js';
import { AuditService } from './audit.service.js';

export function describeTarget(route: AuditedRoute, result: unknown, scope: RequestScope | undefined): { type: string; id: string | null; name: string | null } {
  const body = (result && typeof result === 'object' ? result : {}) as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : null);
  const id = str(body.id) ?? (route.target === 'environment' ? (scope?.environmentId ?? null) : route.target === 'app' ? (scope?.appId ?? null) : null);
  const name =
    str(body.name) ??
    str(body.hostname) ??
    str(body.type) ??
    (typeof body.number === 'number' ? `v${body.number}` : null) ??
    (route.target === 'environment' ? (scope?.environmentName ?? null) : route.target === 'app' ? (scope?.appName ?? null) : null);
  return { type: route.target, id, name };
}

@Injectable()
export class AuditInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly tx: TransactionHost,
    private readonly audit: AuditService,
    private readonly idempotency: IdempotencyService,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const route = this.reflector.get<AuditedRoute | undefined>(AUDITED_KEY, context.getHandler());
    if (!route || context.getType() !== 'http') return next.handle();
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest & { actor?: Actor }>();
    const reply = http.getResponse<FastifyReply>();
    const key = request.method !== 'GET' ? headerValue(request, 'idempotency-key') : undefined;
    const status = (this.reflector.get<number | undefined>(HTTP_CODE_METADATA, context.getHandler()) ?? (request.method === 'POST' ? 201 : 200));
    return defer(() =>
      this.tx.run(async () => {
        const scope = `user:${request.actor?.userId ?? 'anonymous'}`;
        const fingerprint = IdempotencyService.fingerprint(`${request.method} ${request.url}`, request.body);
        if (key) {
          const replay = await this.idempotency.begin(scope, key, fingerprint);
          if (replay) {
            void reply.header('idempotent-replayed', 'true');
            return replay.body;
          }
        }
        const result: unknown = await lastValueFrom(next.handle(), { defaultValue: undefined });
        const ctx = requestContext.get();
        await this.audit.record({ action: route.action, target: describeTarget(route, result, ctx?.scope), change: ctx?.change ?? defaultChange(request.method, result) });
        if (key) await this.idempotency.complete(scope, key, fingerprint, status, result ?? null);
        return result;
      }),
    );
  }
}

function headerValue(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Without a change noted by the service: a creation's result is its "after"; a deletion has none. */
function defaultChange(method: string, result: unknown): unknown {
  if (method === 'DELETE' || result === undefined || result === null || typeof result !== 'object') return null;
  return method === 'POST' ? { before: null, after: result } : { after: result };
}
