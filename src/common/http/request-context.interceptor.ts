// Runs the handler inside the request's context (request id, caller, source address) and sets
// the Link header for paginated answers.
import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Observable, map } from 'rxjs';
import type { Actor } from '../auth/actor.js';
import { requestContext, type RequestContext } from '../context/request-context.js';
import { etagFor } from './if-match.decorator.js';
import { acceptedLocation } from './accepted-location.js';

export function contextFromRequest(request: FastifyRequest & { actor?: Actor }): RequestContext {
  const header = (name: string) => {
    const value = request.headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
  return { requestId: String(request.id), actor: request.actor, ip: request.ip, userAgent: header('user-agent'), idempotencyKey: header('idempotency-key') };
}

function nextLink(request: FastifyRequest, cursor: string): string {
  const url = new URL(request.url, 'http://berth.invalid');
  url.searchParams.set('cursor', cursor);
  return `<${url.pathname}${url.search}>; rel="next"`;
}

@Injectable()
export class RequestContextInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest & { actor?: Actor }>();
    const reply = http.getResponse<FastifyReply>();
    const ctx = contextFromRequest(request);
    return new Observable((subscriber) =>
      requestContext.run(ctx, () =>
        next
          .handle()
          .pipe(
            map((body: unknown) => {
              const cursor = (body as { next_cursor?: unknown } | null)?.next_cursor;
              if (typeof cursor === 'string') void reply.header('link', nextLink(request, cursor));
              const version = (body as { version?: unknown } | null)?.version;
              if (typeof version === 'number' && cursor === undefined) void reply.header('etag', etagFor(version));
              if (reply.statusCode === 202 && body) void reply.header('location', acceptedLocation(request.method, request.url));
              return body;
            }),
          )
          .subscribe(subscriber),
      ),
    );
  }
}
