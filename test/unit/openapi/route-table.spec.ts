// Walks every operation of the route table (docs/openapi.json, which http-basics.spec.ts checks
// equals what the code serves) and checks the conventions generated clients rely on (#14):
// 201 create, 200 update, 204 delete, 202 only with a Location to follow; every error answer is
// problem+json and derived from the route's own rules; the headers it honours are declared.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';

type Json = Record<string, any>;
const doc = JSON.parse(readFileSync('docs/openapi.json', 'utf8')) as Json;
const METHODS = ['get', 'post', 'put', 'patch', 'delete'];
const operations = Object.entries(doc.paths as Json).flatMap(([path, item]) =>
  METHODS.filter((m) => item[m]).map((method) => ({ path, method, op: item[method] as Json, key: `${method.toUpperCase()} ${path}` })),
);
const resolve = (ref: Json): Json => (ref.$ref ? (ref.$ref as string).split('/').slice(1).reduce((node: Json, part: string) => node[part], doc) : ref);

/** Actions (POST that changes an existing object rather than creating one) answer 200 or 202. */
const ACTIONS = /\/(cordon|uncordon|probe|drain|recompute|restart)$/;
/** Upserts: 201 when new, 200 when replacing. */
const UPSERTS = new Set(['POST /v1/teams/{team}/registry-credentials', 'PUT /v1/teams/{team}/registry-credentials/{registry}', 'PUT /v1/teams/{team}/quota']);

describe('route table', () => {
  it('has operations to walk', () => {
    expect(operations.length).toBeGreaterThan(50);
  });

  it.each(operations)('$key declares a 2xx consistent with its method', ({ path, method, op, key }) => {
    const success = Object.keys(op.responses).filter((s) => s.startsWith('2')).sort();
    if (UPSERTS.has(key)) {
      expect(success.every((s) => s === '200' || s === '201')).toBe(true);
    } else if (method === 'get') expect(success).toEqual(['200']);
    else if (method === 'post') expect(success).toEqual(ACTIONS.test(path) ? [expect.stringMatching(/^20[02]$/)] : ['201']);
    else if (method === 'patch' || method === 'put') expect(success).toEqual(['200']);
    else expect(success.every((s) => s === '204' || s === '202')).toBe(true);
    for (const status of success) {
      const response = resolve(op.responses[status]);
      if (status === '204') expect(response.content).toBeUndefined();
      // Asynchronous work says where to follow it.
      if (status === '202') expect(Object.keys(response.headers ?? {})).toContain('Location');
    }
  });

  it.each(operations)('$key answers errors as problem+json, derived from its rules', ({ path, method, op }) => {
    const errors = Object.keys(op.responses).filter((s) => Number(s) >= 400);
    for (const status of errors) {
      const content = resolve(op.responses[status]).content;
      expect(Object.keys(content)).toEqual(['application/problem+json']);
      expect(content['application/problem+json'].schema).toEqual({ $ref: '#/components/schemas/Problem' });
    }
    const access = op['x-berth-access'] as string;
    const params = ((op.parameters ?? []) as Json[]).map(resolve);
    const expected: string[] = [];
    if (access !== 'public') expected.push('401', '429');
    if (access === 'platform-admin') expected.push('403');
    if (path.includes('{')) expected.push('404');
    if (op.requestBody) expected.push('400', '415', '422');
    if (params.some((p) => p.name === 'If-Match')) expected.push('412');
    if (params.some((p) => p.name === 'If-Match' && p.required)) expected.push('428');
    if (params.some((p) => p.name === 'Idempotency-Key')) expected.push('409', '422');
    expect(errors).toEqual(expect.arrayContaining(expected));
    if (method !== 'get' || access !== 'public') expect(errors.length).toBeGreaterThan(0);
  });

  it.each(operations)('$key declares the headers it honours and sends', ({ method, op }) => {
    const params = ((op.parameters ?? []) as Json[]).map(resolve);
    // Every audited change honours Idempotency-Key (audit.interceptor.ts).
    if (op['x-berth-audit'] && method !== 'get') expect(params.map((p) => p.name)).toContain('Idempotency-Key');
    if (op.responses['429']) expect(Object.keys(resolve(op.responses['429']).headers)).toEqual(expect.arrayContaining(['RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset', 'Retry-After']));
    for (const [status, ref] of Object.entries(op.responses as Json)) {
      const schema = resolve(ref).content?.['application/json']?.schema;
      // Answers carrying a version carry it as ETag too (request-context.interceptor.ts).
      if (status.startsWith('2') && schema?.$ref && resolve(schema).properties?.version) expect(Object.keys(resolve(ref).headers ?? {})).toContain('ETag');
    }
    expect(op.description).toEqual(expect.any(String));
    expect(doc.tags.map((t: Json) => t.name)).toContain(op.tags[0]);
  });

  it('declares If-Match on exactly the operations whose handler reads it', () => {
    const declared = operations.filter(({ op }) => ((op.parameters ?? []) as Json[]).map(resolve).some((p) => p.name === 'If-Match')).map(({ op }) => op.operationId as string);
    expect(declared.sort()).toEqual(['Apps_update', 'Clusters_update', 'ConfigVars_update', 'Environments_update', 'Formation_update', 'Quotas_update', 'Teams_update', 'Teams_updateMember']);
  });

  it('types counts, versions and replicas as integers, timestamps as date-time, ids as uuid', () => {
    const offenders: string[] = [];
    for (const [name, schema] of Object.entries(doc.components.schemas as Json)) {
      for (const [prop, value] of Object.entries((schema.properties ?? {}) as Json)) {
        if (value.type === 'number') offenders.push(`${name}.${prop} is number`);
        if (value.type === 'string' && /_at$/.test(prop) && value.format !== 'date-time') offenders.push(`${name}.${prop} lacks date-time`);
        if (value.type === 'string' && (prop === 'id' || /^(team|user|environment)_id$/.test(prop)) && name !== 'AuditTarget' && value.format !== 'uuid') offenders.push(`${name}.${prop} lacks uuid`);
      }
    }
    // Query parameters and inline answers too: no fractional number anywhere in the API.
    const text = JSON.stringify(doc);
    expect(text).not.toContain('"type":"number"');
    expect(offenders).toEqual([]);
  });

  it('leaves fields with defaults optional and states alternatives as oneOf', () => {
    const schemas = doc.components.schemas as Json;
    expect(schemas.CreateEnvironmentInput.required ?? []).not.toContain('production');
    expect(schemas.CreateEnvironmentInput.required ?? []).not.toContain('auto_rollback');
    expect(schemas.CreateReleaseInput.oneOf.map((s: Json) => resolve(s).required)).toEqual([['image'], ['rollback_to']]);
    expect(schemas.RegisterClusterInput.oneOf).toHaveLength(3);
    expect(resolve(schemas.EnvironmentModel.properties.status.anyOf[0]).properties.phase.enum).toContain('succeeded');
  });

  it('orders tags with the main resources first and health last, each described', () => {
    const tags = (doc.tags as Json[]).map((t) => t.name);
    expect(tags.slice(0, 3)).toEqual(['apps', 'environments', 'releases']);
    expect(tags.at(-1)).toBe('health');
    expect((doc.tags as Json[]).every((t) => typeof t.description === 'string' && t.description.length > 0)).toBe(true);
    expect(doc.servers).toEqual([expect.objectContaining({ url: '/' })]);
    expect(doc.components.securitySchemes.bearer).toEqual(expect.not.objectContaining({ bearerFormat: expect.anything() }));
  });

  it('declares the media types of streams', () => {
    expect(Object.keys(doc.paths['/v1/apps/{app}/environments/{env}/logs'].get.responses['200'].content)).toEqual(['text/event-stream']);
    expect(Object.keys(doc.paths['/v1/audit-events/export'].get.responses['200'].content)).toEqual(['application/x-ndjson']);
  });
});
