// Writes a release's status changes as server-sent events (`curl -N` friendly): one `event: status`
// per change with the release as JSON, and the response ends after the terminal one.
import type { FastifyReply } from 'fastify';
import type { ReleaseModel } from './models/release.model.js';

export async function streamReleaseEvents(reply: FastifyReply, releases: AsyncIterable<ReleaseModel>): Promise<void> {
  reply.hijack();
  reply.raw.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    // Proxies such as nginx would otherwise buffer the stream.
    'x-accel-buffering': 'no',
    'x-request-id': String(reply.request.id),
  });
  const keepAlive = setInterval(() => reply.raw.write(': keep-alive\n\n'), 15_000);
  try {
    for await (const release of releases) {
      reply.raw.write(`event: status\nid: ${release.number}-${Date.parse(release.status.updated_at)}\ndata: ${JSON.stringify(release)}\n\n`);
    }
  } catch (error) {
    // Headers are gone already: say it in the stream (the client reconnects or reads the release).
    reply.raw.write(`event: error\ndata: ${JSON.stringify({ title: 'the status stream stopped', detail: 'read the release with GET to see where it stands' })}\n\n`);
  } finally {
    clearInterval(keepAlive);
    reply.raw.end();
  }
}
