import type { FastifyReply } from 'fastify';

/** Writes each item as one server-sent event; a comment line every 15 s keeps proxies from closing it. */
export async function streamServerSentEvents(reply: FastifyReply, items: AsyncIterable<unknown>): Promise<void> {
  reply.raw.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    'x-request-id': String(reply.request.id),
  });
  const keepAlive = setInterval(() => reply.raw.write(': keep-alive\n\n'), 15_000);
  try {
    for await (const item of items) reply.raw.write(`data: ${JSON.stringify(item)}\n\n`);
  } finally {
    clearInterval(keepAlive);
    reply.raw.end();
  }
}
