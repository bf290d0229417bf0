// Turns the document @nestjs/swagger builds from the controllers into one that generates clean
// clients. Everything here applies to every operation by rule, derived from facts the routes
// already state (access rule, audited, body, path and query parameters, If-Match), so a new route
// gets its error answers and headers without anyone remembering to write them:
// - every error answer is application/problem+json with the Problem schema;
// - Idempotency-Key on every operation that honours it, If-Match where the handler reads it;
// - ETag on answers that carry a version, RateLimit-* and Retry-After on 429, Location on 202;
// - integers, date-times and uuids as they really are; alternatives as oneOf; tags in order;
// - a description on every operation; streams with their media types.
import type { OpenAPIObject } from '@nestjs/swagger';
import { ERROR_CODES } from '../errors/domain-error.js';
import { API_TAGS } from './tags.js';
import { ALTERNATIVES, OBJECT_SCHEMAS, PROPERTY_SCHEMAS } from './schemas.js';

type Json = Record<string, unknown>;
type Schema = Json & { type?: string; properties?: Record<string, Schema>; required?: string[]; format?: string; items?: Schema; $ref?: string };
type Operation = Json & {
  operationId?: string;
  summary?: string;
  description?: string;
  tags?: string[];
  parameters?: Array<Json & { name?: string; in?: string; $ref?: string }>;
  requestBody?: Json;
  responses: Record<string, Json & { content?: Record<string, { schema?: Schema }>; headers?: Json; description?: string }>;
};

const METHODS = ['get', 'put', 'post', 'patch', 'delete'] as const;
const SUCCESS_DESCRIPTIONS: Record<number, string> = { 200: 'OK', 201: 'Created', 202: 'Accepted: the work goes on; follow Location', 204: 'Done; no content' };
/** Routes the rate limiter leaves alone (see rate-limit/token-bucket.ts EXEMPT_ROUTES). */
const NOT_RATE_LIMITED = new Set(['/healthz', '/readyz', '/metrics']);

export interface FinishOptions {
  /** operationIds whose handler reads the If-Match header (found from the controllers' metadata). */
  ifMatchOperations: ReadonlySet<string>;
  /** The server clients talk to: the configured public URL, else `/` (same origin as the document). */
  serverUrl: string;
}

export function finishDocument(doc: OpenAPIObject, options: FinishOptions): OpenAPIObject {
  const components = (doc.components ??= {}) as Json & { schemas: Record<string, Schema>; responses: Json; parameters?: Json; headers?: Json; securitySchemes?: Record<string, Json> };
  components.schemas ??= {};
  components.schemas.Problem = PROBLEM_SCHEMA;
  components.schemas.InvalidParam = INVALID_PARAM_SCHEMA;
  Object.assign(components.schemas, OBJECT_SCHEMAS);
  for (const [schema, props] of Object.entries(PROPERTY_SCHEMAS)) {
    const target = components.schemas[schema]?.properties;
    if (target) for (const [prop, value] of Object.entries(props)) if (target[prop]) target[prop] = { ...value } as Schema;
  }
  components.headers = { ...components.headers, ...HEADERS };
  components.parameters = { ...components.parameters, ...PARAMETERS };
  components.responses = { ...(components.responses ?? {}), ...problemResponses() };
  for (const scheme of Object.values(components.securitySchemes ?? {})) delete scheme.bearerFormat; // tokens are opaque berth_…, not JWTs
  for (const [name, schema] of Object.entries(components.schemas)) fixSchema(name, schema);
  for (const [name, variants] of Object.entries(ALTERNATIVES)) splitAlternatives(components.schemas, name, variants);

  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of METHODS) {
      const op = (item as Record<string, Operation | undefined>)[method];
      if (op) finishOperation(path, method, op, options, components.schemas);
    }
  }
  // Only the problem answers some operation uses (an unused component is a lint warning).
  const used = JSON.stringify(doc.paths);
  for (const name of Object.keys(components.responses)) if (name.startsWith('Problem') && !used.includes(`#/components/responses/${name}"`)) delete components.responses[name];
  doc.tags = API_TAGS.map((tag) => ({ ...tag }));
  doc.servers = [{ url: options.serverUrl, description: options.serverUrl === '/' ? 'The host serving this document' : 'This installation' }];
  doc.paths = sortPaths(doc.paths);
  return doc;
}

function finishOperation(path: string, method: (typeof METHODS)[number], op: Operation, options: FinishOptions, schemas: Record<string, Schema>): void {
  const access = String(op['x-berth-access'] ?? 'public');
  const audited = op['x-berth-audit'] !== undefined;
  const errors = new Set<number>((op['x-berth-problems'] as number[] | undefined) ?? []);
  const parameters = (op.parameters ??= []);

  if (access !== 'public') errors.add(401);
  if (!NOT_RATE_LIMITED.has(path)) errors.add(429);
  if (access === 'platform-admin' || (access.startsWith('team:') && (access !== 'team:viewer' || method !== 'get'))) errors.add(403);
  if (path.includes('{')) errors.add(404);
  if (op.requestBody) [400, 413, 415, 422].forEach((s) => errors.add(s));
  if (parameters.some((p) => p.in === 'query')) errors.add(422);

  // If-Match: where the handler reads it (one rule for every update: optional, 412 when stale).
  const readsIfMatch = (op.operationId !== undefined && options.ifMatchOperations.has(op.operationId));
  op.parameters = parameters.filter((p) => p.name?.toLowerCase() !== 'if-match' && p.name?.toLowerCase() !== 'idempotency-key');
  if (readsIfMatch) {
    op.parameters.push({ $ref: '#/components/parameters/IfMatch' });
    [412, 422].forEach((s) => errors.add(s));
  }
  // Idempotency-Key: the audit interceptor honours it on every audited change.
  const idempotent = audited && method !== 'get';
  if (idempotent) {
    op.parameters.push({ $ref: '#/components/parameters/IdempotencyKey' });
    [409, 422].forEach((s) => errors.add(s));
  }
  if (op.parameters.length === 0) delete op.parameters;
  for (const parameter of op.parameters ?? []) {
    const schema = parameter.schema as Schema | undefined;
    if (schema && parameter.name) fixProperty('parameter', /^(since|until)$/.test(parameter.name) ? `${parameter.name}_at` : parameter.name, schema);
  }
  for (const response of Object.values(op.responses)) for (const media of Object.values(response.content ?? {})) if (media.schema) fixInline(media.schema);

  for (const [status, response] of Object.entries(op.responses)) {
    const code = Number(status);
    if (code >= 400) {
      errors.add(code);
      delete op.responses[status];
      continue;
    }
    if (!response.description) response.description = SUCCESS_DESCRIPTIONS[code] ?? 'Success';
    if (code === 204) {
      delete response.content;
      continue;
    }
    const headers = (response.headers ??= {}) as Json;
    const schema = response.content?.['application/json']?.schema;
    if (schema && carriesVersion(schema, schemas)) headers.ETag = { $ref: '#/components/headers/ETag' };
    if (code === 202) headers.Location = { $ref: '#/components/headers/Location' };
    if (idempotent) headers['Idempotent-Replayed'] = { $ref: '#/components/headers/IdempotentReplayed' };
    if (Object.keys(headers).length === 0) delete response.headers;
  }
  const stream = op['x-berth-stream'] as { mediaType: string; description: string } | undefined;
  if (stream) {
    const ok = op.responses['200'] ?? {};
    op.responses['200'] = { ...ok, description: stream.description, content: { [stream.mediaType]: { schema: { type: 'string' } } } };
    delete op.produces;
  }
  for (const status of [...errors].sort((a, b) => a - b)) op.responses[String(status)] = { $ref: `#/components/responses/Problem${status}` };

  // Internal notes, now expressed as answers and media types.
  delete op['x-berth-problems'];
  delete op['x-berth-stream'];
  op.description ??= describe(op, access, readsIfMatch, idempotent);
}

/** A description that says what a generated client's user needs: who may call it, and the headers it honours. */
function describe(op: Operation, access: string, readsIfMatch: boolean, idempotent: boolean): string {
  const who: Record<string, string> = {
    public: 'No API token needed.',
    authenticated: 'Any authenticated caller.',
    'platform-admin': 'Platform admins only.',
  };
  const role = access.startsWith('team:') ? `Needs the ${access.slice(5)} role (or higher) in the object's team; other teams' objects answer 404.` : who[access];
  const parts = [`${op.summary ?? ''}.`.replace(/\.\.$/, '.'), role];
  if (readsIfMatch) parts.push('Send `If-Match` with the ETag from the last read to refuse lost updates (412 when the object changed since).');
  if (idempotent) parts.push('Retries with the same `Idempotency-Key` replay the first answer.');
  return parts.filter(Boolean).join(' ');
}

function carriesVersion(schema: Schema, schemas: Record<string, Schema>): boolean {
  const target = schema.$ref ? schemas[schema.$ref.split('/').pop() ?? ''] : schema;
  return target?.properties?.version !== undefined;
}

// ---- schemas ---------------------------------------------------------------------------------

/** Timestamps, ids and whole numbers, as the answers really carry them. */
function fixSchema(name: string, schema: Schema): void {
  for (const [prop, value] of Object.entries(schema.properties ?? {})) {
    fixProperty(name, prop, value);
    if (value.items) fixProperty(name, prop, value.items);
  }
  // A field with a default may be left out: it is not required.
  if (schema.required) {
    schema.required = schema.required.filter((prop) => schema.properties?.[prop]?.default === undefined);
    if (schema.required.length === 0) delete schema.required;
  }
}

/** Schemas written inline on a route (not components): the same rules. */
function fixInline(schema: Schema): void {
  if (schema.properties) fixSchema('inline', schema);
  if (schema.items) fixInline(schema.items);
}

/** Ids that are not uuids: the audit target names whatever object an event is about. */
const NON_UUID_IDS = new Set(['AuditTarget.id', 'AuditEventModel.request_id', 'SignedHeadModel.key_id']);

function fixProperty(schemaName: string, prop: string, value: Schema): void {
  // OpenAPI 3.0: a nullable enum admits null only when the enum lists it.
  if (value.nullable === true && Array.isArray(value.enum) && !value.enum.includes(null)) value.enum = [...(value.enum as unknown[]), null];
  // Berth has no fractional numbers in its API: counts, versions, replicas, ports, millicores, MiB.
  if (value.type === 'number') value.type = 'integer';
  if (value.type === 'string' && /(^|_)at$/.test(prop)) value.format ??= 'date-time';
  if (value.type === 'string' && (prop === 'id' || /_id$/.test(prop)) && !NON_UUID_IDS.has(`${schemaName}.${prop}`)) value.format ??= 'uuid';
}

/** Replaces an input whose fields are alternatives by a oneOf of its variants. */
function splitAlternatives(schemas: Record<string, Schema>, name: string, variants: ReadonlyArray<{ name: string; description: string; required: string[]; omit: string[] }>): void {
  const base = schemas[name];
  if (!base?.properties) return;
  const properties = base.properties;
  for (const variant of variants) {
    const props = Object.fromEntries(Object.entries(properties).filter(([prop]) => !variant.omit.includes(prop)));
    const required = [...new Set([...(base.required ?? []), ...variant.required])];
    schemas[variant.name] = { type: 'object', description: variant.description, properties: props, required };
  }
  schemas[name] = { description: base.description as string | undefined, oneOf: variants.map((v) => ({ $ref: `#/components/schemas/${v.name}` })) };
  if (schemas[name].description === undefined) delete schemas[name].description;
}

function sortPaths(paths: OpenAPIObject['paths']): OpenAPIObject['paths'] {
  const rank = (path: string) => {
    const item = paths[path] as Record<string, Operation | undefined>;
    const tag = METHODS.map((m) => item[m]?.tags?.[0]).find(Boolean) ?? '';
    const index = API_TAGS.findIndex((t) => t.name === tag);
    return index === -1 ? API_TAGS.length : index;
  };
  return Object.fromEntries(
    Object.keys(paths)
      .map((path, index) => ({ path, index, rank: rank(path) }))
      .sort((a, b) => a.rank - b.rank || a.index - b.index)
      .map(({ path }) => [path, paths[path]]),
  );
}

// ---- shared components ---------------------------------------------------------------------

const PROBLEM_SCHEMA: Schema = {
  type: 'object',
  description: 'An RFC 9457 problem document: the shape of every error answer',
  required: ['type', 'title', 'status', 'detail', 'instance', 'code'],
  properties: {
    type: { type: 'string', format: 'uri', example: 'https://berth.dev/problems/validation-failed' },
    title: { type: 'string', example: 'Validation failed' },
    status: { type: 'integer', example: 422 },
    detail: { type: 'string' },
    instance: { type: 'string', description: 'The request id (also in the X-Request-Id header)' },
    code: { type: 'string', enum: Object.keys(ERROR_CODES), description: 'Stable machine-readable error code' },
    field: { type: 'string', description: 'The request field the error is about, e.g. `formation.web.replicas` or `If-Match`' },
    invalid_params: { type: 'array', items: { $ref: '#/components/schemas/InvalidParam' } },
  },
  additionalProperties: true,
};

const INVALID_PARAM_SCHEMA: Schema = {
  type: 'object',
  required: ['name', 'reason'],
  properties: { name: { type: 'string' }, reason: { type: 'string' } },
};

const integerHeader = (description: string) => ({ description, schema: { type: 'integer' } });

const HEADERS: Json = {
  ETag: { description: 'The object\'s version as an entity tag; send it back in If-Match', schema: { type: 'string', example: '"3"' } },
  Location: { description: 'Where to follow the asynchronous work: GET it until the object reaches a final state (or 404 once deleted)', schema: { type: 'string' } },
  IdempotentReplayed: { description: '`true` when this answer replays the first request with the same Idempotency-Key', schema: { type: 'string', enum: ['true'] } },
  RateLimitLimit: integerHeader('Requests the caller may make in a burst'),
  RateLimitRemaining: integerHeader('Requests left in the current burst'),
  RateLimitReset: integerHeader('Seconds until the burst allowance is full again'),
  RateLimitPolicy: { description: 'The policy, e.g. `600;w=3600;name="api"`', schema: { type: 'string' } },
  RetryAfter: integerHeader('Seconds to wait before retrying'),
};

const PARAMETERS: Json = {
  IfMatch: { name: 'If-Match', in: 'header', required: false, description: 'The ETag of the version this change starts from; 412 when the object changed since', schema: { type: 'string', example: '"3"' } },
  IdempotencyKey: {
    name: 'Idempotency-Key',
    in: 'header',
    required: false,
    description: 'Makes retries safe: the same key with the same request replays the first answer; with another request it answers 422, while the first is still running 409',
    schema: { type: 'string', minLength: 1, maxLength: 255 },
  },
};

const STATUSES = [400, 401, 403, 404, 409, 412, 413, 415, 422, 428, 429, 500, 503] as const;

function problemResponses(): Json {
  const titles = new Map<number, string>();
  for (const { status, title } of Object.values(ERROR_CODES)) if (!titles.has(status)) titles.set(status, title);
  const content = { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } };
  return Object.fromEntries(
    STATUSES.map((status) => {
      const response: Json = { description: titles.get(status) ?? 'Error', content };
      if (status === 429) {
        response.headers = {
          'RateLimit-Limit': { $ref: '#/components/headers/RateLimitLimit' },
          'RateLimit-Remaining': { $ref: '#/components/headers/RateLimitRemaining' },
          'RateLimit-Reset': { $ref: '#/components/headers/RateLimitReset' },
          'RateLimit-Policy': { $ref: '#/components/headers/RateLimitPolicy' },
          'Retry-After': { $ref: '#/components/headers/RetryAfter' },
        };
      }
      if (status === 401) response.headers = { 'WWW-Authenticate': { description: 'The scheme to authenticate with', schema: { type: 'string' } } };
      return [`Problem${status}`, response];
    }),
  );
}
