// REST's entry into the audited transaction runner: an `@Audited` route runs in one transaction
// with its audit event and, when the caller sent an Idempotency-Key header, its stored answer.
// Applied by `@Audited` to its route only (UseInterceptors), never globally: a route without any
// interceptor is called by Nest directly, without an rxjs pipeline (docs/performance.md, Profiles).
import { HTTP_CODE_METADATA } from '@nestjs/common/constants.js';
import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { ModuleRef, Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { defer, lastValueFrom, type Observable } from 'rxjs';
import type { Actor } from '../auth/actor.js';
import { AUDITED_KEY, type AuditedRoute } from './audited-route.js';
import { AuditedTransaction, type AuditedEffect } from './audited-transaction.js';

@Injectable()
export class AuditInterceptor implements NestInterceptor {
  private runner: AuditedTransaction | undefined;

  // Nest creates a route's interceptor in the route's own module, which need not import the audit
  // module: the runner is found in the application once, on first use.
  constructor(
    private readonly reflector: Reflector,
    private readonly modules: ModuleRef,
  ) {}

  private get audited(): AuditedTransaction {
    this.runner ??= this.modules.get(AuditedTransaction, { strict: false });
    if (!this.runner) throw new Error('AuditedTransaction is not provided (AuditModule missing from the application)');
    return this.runner;
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const route = this.reflector.get<AuditedRoute | undefined>(AUDITED_KEY, context.getHandler());
    if (!route || context.getType() !== 'http') return next.handle();
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest & { actor?: Actor }>();
    const reply = http.getResponse<FastifyReply>();
    const status = this.reflector.get<number | undefined>(HTTP_CODE_METADATA, context.getHandler()) ?? (request.method === 'POST' ? 201 : 200);
    const operation = {
      route,
      actor: request.actor,
      operation: `${request.method} ${request.url}`,
      input: request.body,
      idempotencyKey: request.method !== 'GET' ? headerValue(request, 'idempotency-key') : undefined,
      // Nest set the route's status before the handler ran; a handler choosing another (created or
      // replaced) set it on the reply, so the reply holds the status the answer really has.
      status: () => reply.statusCode || status,
      effect: effectOf(request.method),
    };
    return defer(async () => {
      const outcome = await this.audited.run(operation, () => lastValueFrom(next.handle(), { defaultValue: undefined }));
      if (outcome.replayed) void reply.status(outcome.status ?? status).header('idempotent-replayed', 'true');
      return outcome.result;
    });
  }
}

function effectOf(method: string): AuditedEffect {
  return method === 'POST' ? 'create' : method === 'DELETE' ? 'delete' : 'update';
}

function headerValue(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
