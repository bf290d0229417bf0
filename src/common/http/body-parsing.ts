// What Fastify accepts before a request reaches Nest: JSON media types only (415 otherwise), JSON
// nested at most MAX_JSON_DEPTH levels (checked by a linear scan before JSON.parse, so nothing
// recursive ever sees a deeper document), no NUL characters in any string or in the path (PostgreSQL
// refuses them in text: 22021), an empty body with a JSON content type means "no body" (body-less
// POST/DELETE routes called by clients that always send `content-type: application/json`), and
// Fastify's own errors (bad URL, oversized headers, malformed JSON, body too large) as problem+json.
import type { Socket } from 'node:net';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import secureJson from 'secure-json-parse';
import { DomainError } from '../errors/domain-error.js';
import { PROBLEM_CONTENT_TYPE, problemFromDomainError } from './problem.js';

/** Deeper than any Berth input (the deepest is about 5 levels); deep enough for any client. */
export const MAX_JSON_DEPTH = 64;

/** application/json, application/merge-patch+json and every other application/*+json, with parameters. */
export const JSON_MEDIA_TYPE = /^application\/(?:[a-z0-9!#$&^_.-]+\+)?json\s*(?:;.*)?$/i;

/** The nesting depth of a JSON text, counted without recursion; stops early past `max`. */
export function jsonDepth(text: string, max = Number.POSITIVE_INFINITY): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      depth++;
      if (depth > deepest) {
        deepest = depth;
        if (deepest > max) return deepest;
      }
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return deepest;
}

/** The dot path of the first string (or key) holding a NUL character, if any. Input depth is bounded. */
export function findNul(value: unknown, path = ''): string | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? path || 'body' : undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findNul(value[i], path ? `${path}.${i}` : String(i));
      if (found) return found;
    }
    return undefined;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const child = path ? `${path}.${key}` : key;
      if (key.includes('\u0000')) return child;
      const found = findNul(item, child);
      if (found) return found;
    }
  }
  return undefined;
}

export function nulProblem(field: string): DomainError {
  return new DomainError('validation-failed', `${field}: must not contain NUL characters (\\u0000)`, { field, invalidParams: [{ name: field, reason: 'must not contain NUL characters' }] });
}

/**
 * Parses a JSON body: empty is "no body"; too deep is a 400; NUL in a string is a 422 naming it
 * (unless `allowNul`: GraphQL checks its variables itself and answers in its own error shape).
 */
export function parseJsonBody(text: string, allowNul = false): unknown {
  if (text.trim() === '') return undefined;
  if (jsonDepth(text, MAX_JSON_DEPTH) > MAX_JSON_DEPTH) {
    throw new DomainError('bad-request', `the body is nested more than ${MAX_JSON_DEPTH} levels deep`, { field: 'body' });
  }
  let value: unknown;
  try {
    value = secureJson.parse(text, undefined, { protoAction: 'error', constructorAction: 'error' });
  } catch (err) {
    throw new DomainError('bad-request', `the body is not valid JSON: ${(err as Error).message}`, { field: 'body' });
  }
  const nul = allowNul ? undefined : findNul(value);
  if (nul) throw nulProblem(nul);
  return value;
}

function sendRawProblem(socketOrReply: FastifyReply, error: DomainError): void {
  const request = socketOrReply.request;
  const problem = problemFromDomainError(error, String(request.id));
  void socketOrReply.status(problem.status).header('content-type', PROBLEM_CONTENT_TYPE).send(problem);
}

/** Registers the parsers and hooks on the Fastify instance behind Nest. */
export function installBodyParsing(fastify: FastifyInstance): void {
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser(JSON_MEDIA_TYPE, { parseAs: 'string' }, (request: FastifyRequest, body: string | Buffer, done: (err: Error | null, body?: unknown) => void) => {
    try {
      done(null, parseJsonBody(typeof body === 'string' ? body : body.toString('utf8'), request.url.startsWith('/graphql')));
    } catch (err) {
      done(err as Error);
    }
  });
  fastify.addHook('onRequest', async (request, reply) => {
    // %00 decodes to NUL in a path parameter or query value: refuse it before it reaches a query,
    // naming the parameter (routing has decoded them by now).
    if (/%00/.test(request.url)) {
      const param = findNul(request.params ?? {});
      const query = param ? undefined : findNul(request.query ?? {});
      sendRawProblem(reply, nulProblem(param ?? query ?? 'path'));
      return reply;
    }
    return undefined;
  });
}

/** Fastify's own routing errors (a URL that does not decode, a path parameter over its length). */
export function problemFrameworkErrors(error: { statusCode?: number; code?: string; message: string }, request: FastifyRequest, reply: FastifyReply): void {
  const status = error.statusCode === 414 ? 414 : 400;
  const detail = error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 'a path segment is longer than this server accepts' : error.code === 'FST_ERR_BAD_URL' ? 'the URL does not decode (bad percent-encoding)' : 'the request is invalid';
  const problem = { type: 'https://berth.dev/problems/bad-request', title: status === 414 ? 'URI too long' : 'Bad request', status, detail, instance: String(request.id), code: 'bad-request', field: 'path' };
  // Routing failed, so the onRequest hook that sets x-request-id did not run.
  void reply.header('x-request-id', request.id).status(status).header('content-type', PROBLEM_CONTENT_TYPE).send(problem);
}

/**
 * Errors Node's HTTP parser raises before Fastify has a request (headers too large, bad request
 * line): answered as problem+json on the raw socket. Passed to Fastify as `clientErrorHandler`.
 */
export function problemClientErrorHandler(err: NodeJS.ErrnoException, socket: Socket): void {
  if (err.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy(err);
    return;
  }
  const [status, title, detail] = CLIENT_ERRORS[err.code ?? ''] ?? CLIENT_ERRORS.default!;
  const body = JSON.stringify({ type: `https://berth.dev/problems/${status === 400 ? 'bad-request' : `http-${status}`}`, title, status, detail, code: 'bad-request' });
  socket.end(`HTTP/1.1 ${status} ${title}\r\nconnection: close\r\ncontent-type: ${PROBLEM_CONTENT_TYPE}\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
}

const CLIENT_ERRORS: Record<string, [number, string, string]> = {
  HPE_HEADER_OVERFLOW: [431, 'Request header fields too large', 'the request line or headers are larger than this server accepts'],
  HPE_URI_TOO_LONG: [414, 'URI too long', 'the URL is longer than this server accepts'],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'Request timeout', 'the request took too long to arrive'],
  default: [400, 'Bad request', 'the request is not valid HTTP'],
};
