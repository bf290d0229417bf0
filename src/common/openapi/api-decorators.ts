// Per-route facts the document post-processor (finish-document.ts) cannot derive from the route
// table itself. Each is one line on a route; the post-processor turns them into problem answers,
// request headers and response headers, so no route spells out its error answers by hand.
import { ApiExtension } from '@nestjs/swagger';

/** Error statuses a route can answer beyond those derived from its access rule, body, path and headers. */
export const ApiProblems = (...statuses: number[]) => ApiExtension('x-berth-problems', statuses);

/** The route answers a stream of `mediaType` (server-sent events, NDJSON) instead of one JSON body. */
export const ApiStream = (mediaType: string, description: string) => ApiExtension('x-berth-stream', { mediaType, description });
