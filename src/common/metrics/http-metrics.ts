// Records every HTTP request (duration by method, route template and status; requests in flight)
// from Fastify hooks, so 404s, 401s and body-parser errors count too, not only Nest handlers.
import type { FastifyInstance } from 'fastify';
import type { MetricsService } from './metrics.service.js';

/** Label for requests that matched no route: raw paths would make the series unbounded. */
export const UNMATCHED_ROUTE = 'unmatched';

export function instrumentHttp(fastify: FastifyInstance, metrics: MetricsService): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    const start = process.hrtime.bigint();
    metrics.httpRequestsInFlight.inc();
    // 'close' fires once per response, whether it finished or the client went away.
    reply.raw.once('close', () => {
      metrics.httpRequestsInFlight.dec();
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      const status = reply.raw.writableFinished ? String(reply.statusCode) : 'aborted';
      metrics.httpRequestDuration.observe({ method: request.method, route: routeTemplate(request.routeOptions.url), status }, seconds);
    });
    done();
  });
}

export function routeTemplate(url: string | undefined): string {
  return url ? url : UNMATCHED_ROUTE;
}
