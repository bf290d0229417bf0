// The HTTP side of draining, installed by createServer and switched on by the shutdown sequence.
// Kept apart from shutdown.ts so server.ts need not import the sequence that imports it.
import type { FastifyInstance } from 'fastify';

/** Fastify instances being drained. */
const draining = new WeakSet<object>();

/** From now on, answers of this instance close their connection. */
export function markDraining(fastify: object): void {
  draining.add(fastify);
}

/**
 * Installed by createServer: while draining, answers carry "Connection: close" so a kept-alive
 * connection ends with its last in-flight request (Node's server.close() only closes connections
 * that are idle at that moment; a busy one would otherwise linger until its keep-alive timeout).
 */
export function installDrainHooks(fastify: FastifyInstance): void {
  fastify.addHook('onSend', async (_request, reply) => {
    if (draining.has(fastify)) void reply.header('connection', 'close');
  });
}
