// The request's context (request id, caller, source address, user agent, Idempotency-Key) and the
// headers derived from a REST answer (Link for paginated answers, ETag for versioned objects,
// Location for 202s), as Fastify hooks rather than a Nest interceptor: a global interceptor makes
// Nest wrap every handler in an rxjs pipeline, which the profile of a read showed as a cost of its
// own (docs/performance.md, Profiles).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
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

/** Link, ETag and Location for a successful answer `body` (an object about to be serialised). */
export function setAnswerHeaders(request: FastifyRequest, reply: FastifyReply, body: unknown): void {
  if (reply.statusCode >= 400 || body === null || typeof body !== 'object') return;
  const cursor = (body as { next_cursor?: unknown }).next_cursor;
  if (typeof cursor === 'string') void reply.header('link', nextLink(request, cursor));
  const version = (body as { version?: unknown }).version;
  if (typeof version === 'number' && cursor === undefined) void reply.header('etag', etagFor(version));
  if (reply.statusCode === 202) void reply.header('location', acceptedLocation(request.method, request.url));
}

/**
 * Installed by createServer. The context is entered right before the handler (after body parsing),
 * so everything the request does, guards included, runs in it and can be told apart from background
 * work (tests count a request's own queries); AuthGuard adds the caller to it.
 */
export function installRequestContext(fastify: FastifyInstance): void {
  // Every answer names its request (set first, so answers sent by later hooks carry it too).
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header('x-request-id', request.id);
    done();
  });
  fastify.addHook('preHandler', (request, _reply, done) => {
    requestContext.run(contextFromRequest(request), done);
  });
  fastify.addHook('preSerialization', (request, reply, payload, done) => {
    setAnswerHeaders(request, reply, payload);
    done(null, payload);
  });
}
