// Installed by createServer: a request that may have changed who may do what (any write; a GraphQL
// POST only when it may hold a mutation) waits, after its commit and before its answer, until every
// replica's authentication cache has applied the change (AuthCache.barrier). Reads never wait.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AuthCache } from './auth-cache.js';

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Whether `request` may have changed access: every write, except GraphQL documents without a mutation. */
export function mayChangeAccess(request: Pick<FastifyRequest, 'method' | 'url' | 'body'>): boolean {
  if (READS.has(request.method)) return false;
  if (!request.url.startsWith('/graphql')) return true;
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
