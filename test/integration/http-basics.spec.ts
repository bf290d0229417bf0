import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from '../support/database.js';
import { newTeam } from '../support/factories.js';
import { expectStatus } from '../support/http.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

describe('HTTP basics: problems, request ids, health, OpenAPI', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp({ env: { BERTH_BODY_LIMIT: '4096' } });
  });
  afterAll(async () => {
    await app.close();
  });

  it('answers liveness and readiness without a token', async () => {
    expect(expectStatus(await app.anonymous.get('/healthz'), 200).body).toEqual({ status: 'ok' });
    expect(expectStatus(await app.anonymous.get('/readyz'), 200).body).toEqual({ status: 'ready' });
  });

  it('echoes a caller\'s request id and uses it as the problem instance', async () => {
    const res = await app.anonymous.get('/v1/apps', { headers: { 'x-request-id': 'portal-123' } });
    expect(res.headers.get('x-request-id')).toBe('portal-123');
    expect(res.body).toMatchObject({ instance: 'portal-123', type: 'https://berth.dev/problems/unauthenticated', title: 'Authentication required' });
  });

  it('makes a request id when none is given', async () => {
    const res = await app.anonymous.get('/healthz');
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers unknown routes with a 404 problem', async () => {
    const res = await app.admin.get('/v1/nothing-here');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
  });

  it('refuses malformed JSON, oversized bodies and wrong media types with problems, writing nothing', async () => {
    const team = await newTeam(app);
    const before = await sql<{ n: string }>(app.databaseUrl, 'SELECT count(*)::text AS n FROM apps');
    const malformed = await team.owner.client.post('/v1/apps', '{"name": "x",', { headers: { 'content-type': 'application/json' } });
    expect(malformed.status).toBe(400);
    expect(malformed.headers.get('content-type')).toMatch(/application\/problem\+json/);
    const huge = await team.owner.client.post('/v1/apps', { name: 'big', team: team.name, description: 'x'.repeat(10_000) });
    expect(huge.status).toBe(413);
    expect(huge.body).toMatchObject({ code: 'payload-too-large' });
    const media = await team.owner.client.post('/v1/apps', 'name=x', { headers: { 'content-type': 'text/plain' } });
    expect(media.status).toBe(415);
    expect(media.headers.get('content-type')).toMatch(/application\/problem\+json/);
    const after = await sql<{ n: string }>(app.databaseUrl, 'SELECT count(*)::text AS n FROM apps');
    expect(after[0]!.n).toBe(before[0]!.n);
  });

  it('never leaks a stack trace', async () => {
    const res = await app.admin.post('/v1/apps', { name: 'x', team: 12 });
    expect(res.status).toBe(422);
    expect(res.text).not.toMatch(/at .*\.(ts|js):\d+/);
  });

  it('serves the OpenAPI document and the docs UI, and the committed copy is current', async () => {
    const doc = expectStatus(await app.anonymous.get<{ openapi: string; paths: Record<string, unknown> }>('/openapi.json'), 200).body;
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/v1/apps', '/v1/teams/{team}/members']));
    const ui = await app.anonymous.get('/docs');
    expect(ui.status).toBe(200);
    expect(ui.text).toMatch(/openapi\.json/);
    const committed = JSON.parse(await readFile('docs/openapi.json', 'utf8')) as unknown;
    // If this fails, run `npm run openapi` and commit docs/openapi.json.
    expect(doc).toEqual(committed);
  });
});
