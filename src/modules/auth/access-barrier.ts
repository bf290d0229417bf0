// Installed by createServer: a request that may have changed who may do what (a REST write to the
// resources access is made of; a GraphQL POST only when it may hold a mutation) waits, after its
// commit and before its answer, until every replica's authentication cache has applied the change
// (AuthCache.barrier). Reads never wait, and neither do writes that cannot change access (a release,
// a formation): the barrier's version read was one statement more on every one of them.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AuthCache } from './auth-cache.js';

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * REST resources whose writes may change access, i.e. fire the access triggers (migration
 * 20261201175138_auth_cache: api_tokens, users, memberships): tokens; users; teams (creating one
 * makes its owner's membership, deleting one cascades to them, members change them) with everything
 * under them; invitations (accepting one makes a membership). A route anywhere else that came to
 * write those tables must be added here (test/unit/access-barrier.spec.ts lists the routes).
 */
const ACCESS_RESOURCES = /^\/v1\/(tokens|users|teams|invitations)(\/|\?|$)/;

/** Whether `request` may have changed access: writes to the access resources, GraphQL documents that may hold a mutation. */
export function mayChangeAccess(request: Pick<FastifyRequest, 'method' | 'url' | 'body'>): boolean {
  if (READS.has(request.method)) return false;
  if (!request.url.startsWith('/graphql')) return ACCESS_RESOURCES.test(request.url);
  const operations = Array.isArray(request.body) ? request.body : [request.body];
  // A persisted query sends no document: it may be a mutation. The word may appear in a query's
  // strings too; waiting then is only slower, never wrong.
  return operations.some((op) => {
    const query = (op as { query?: unknown } | null)?.query;
    return typeof query !== 'string' || /\bmutation\b/.test(query);
  });
}

export function installAccessBarrier(fastify: FastifyInstance, cache: AuthCache): void {
  // Callback style: reads (nearly every request) pass straight through without a promise.
  fastify.addHook('onSend', (request, _reply, payload, done) => {
    if (!mayChangeAccess(request)) return done(null, payload);
    // The change is committed whatever happens here: a failed wait must not turn it into an error.
    cache
      .barrier()
      .catch((err: unknown) => request.log.error({ err }, 'could not wait for replicas to apply an access change'))
      .finally(() => done(null, payload));
  });
}
