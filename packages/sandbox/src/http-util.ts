import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseYaml } from 'yaml';
import { ApiError, badRequest } from './errors.js';
import { decodeProtobuf } from './protobuf.js';
import { duplicateFields } from './validation/duplicates.js';

const warnings = new WeakMap<ServerResponse, string[]>();

/** Warnings a handler collects for a response; sent as `Warning: 299 - "..."` headers. */
export function warningsFor(res: ServerResponse): string[] {
  let w = warnings.get(res);
  if (!w) warnings.set(res, (w = []));
  return w;
}

export function sendJson(res: ServerResponse, code: number, body: unknown, contentType = 'application/json'): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  const w = warnings.get(res);
  if (w?.length) res.setHeader('Warning', w.map((m) => `299 - ${JSON.stringify(m)}`));
  res.writeHead(code, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-cache, private' });
  res.end(text);
}

export function sendError(res: ServerResponse, err: unknown): number {
  const api = err instanceof ApiError ? err : new ApiError(500, 'InternalError', `Internal error occurred: ${(err as Error)?.message ?? String(err)}`);
  if (res.headersSent) {
    res.destroy();
    return api.code;
  }
  if (api.code === 429 && api.details?.retryAfterSeconds !== undefined) res.setHeader('Retry-After', String(api.details.retryAfterSeconds));
  sendJson(res, api.code, api.toStatus());
  return api.code;
}

export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/**
 * A YAML body that is a JSON object (what client libraries send as apply patches) parsed as JSON:
 * JSON is YAML 1.2, and JSON.parse is many times faster than a YAML parser. Only when JSON.parse
 * accepts the text and no object repeats a key (the YAML parser rejects those, JSON.parse keeps
 * the last); anything else (comments, documents, tags, control characters) goes to the YAML parser.
 */
function jsonAsYaml(text: string): unknown {
  if (text[text.search(/\S/)] !== '{') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  return duplicateFields(text).length ? undefined : value;
}

/** Decode a request body: JSON, YAML (apply patches, uploads) or kubectl's protobuf. */
export function decodeBody(raw: Buffer, contentType: string | undefined): unknown {
  if (raw.length === 0) return undefined;
  const ct = (contentType ?? 'application/json').split(';')[0]!.trim().toLowerCase();
  if (ct === 'application/vnd.kubernetes.protobuf') return decodeProtobuf(raw);
  if (ct.includes('protobuf') || ct.includes('cbor')) {
    throw new ApiError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml`);
  }
  const text = raw.toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    if (ct.endsWith('yaml')) return jsonAsYaml(text) ?? (parseYaml(text) as unknown);
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw badRequest(`error decoding request body: ${(e as Error).message}`);
  }
}
