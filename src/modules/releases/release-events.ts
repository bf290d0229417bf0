// Writes a release's status changes as server-sent events (`curl -N` friendly): one `event: status`
// per change with the release as JSON, and the response ends after the terminal one.
import type { FastifyReply } from 'fastify';
import type { ReleaseModel } from './models/release.model.js';

/** The caller lost access while the stream was open (token revoked or expired, role lowered): `reason` says which. */
export class StreamAccessEnded extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

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
    const body =
      error instanceof StreamAccessEnded
        ? { title: 'access ended', detail: `${error.reason}; the stream was closed` }
        : { title: 'the status stream stopped', detail: 'read the release with GET to see where it stands' };
    reply.raw.write(`event: error\ndata: ${JSON.stringify(body)}\n\n`);
  } finally {
    clearInterval(keepAlive);
    reply.raw.end();
  }
}
