// No 500 and no silent acceptance on bad input (#12 item 4) and body-less requests (#11 item 7):
// only JSON media types are parsed (415 otherwise), an empty body with a JSON content type is "no
// body", nesting is bounded before anything recursive sees the body, NUL characters are refused in
// bodies and paths, explicit nulls are refused naming the field where the document says the field
// is not nullable, and Fastify's and Node's own errors are problem+json.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { connect } from 'node:net';
import { newEnvironment, newMember } from '../support/factories.js';
import { expectStatus } from '../support/http.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(async () => {
  await app.close();
});

const PROBLEM = /^application\/problem\+json/;

describe('body-less POST and DELETE routes with content-type: application/json and an empty body', () => {
  it('answers every one of them from the route table as if no content type were sent', async () => {
    const env = await newEnvironment(app);
    const owner = env.app.team.owner;
    const member = await newMember(app, env.app.team, 'viewer');
    const token = expectStatus(await owner.client.post<{ id: string }>('/v1/tokens', { description: 'to revoke' }), 201).body.id;
    const values: Record<string, string> = { app: env.app.name, env: env.name, team: env.app.team.name, user: member.id, token, cluster: 'no-such-cluster', type: 'web', hostname: 'nothing.example.com', registry: 'registry.example.com' };
    const routes: Array<[string, string]> = [];
    for (const [path, operations] of Object.entries(app.server.openApi.paths)) {
      for (const [method, operation] of Object.entries(operations as Record<string, { requestBody?: unknown }>)) {
        if ((method === 'post' || method === 'delete') && !operation.requestBody) routes.push([method.toUpperCase(), path]);
      }
    }
    expect(routes.length).toBeGreaterThanOrEqual(10);
    // Deletions of the app, the environment and the team last, in that order.
    const rank = (p: string) => (/\{team\}$/.test(p) ? 3 : /\/apps\/\{app\}$/.test(p) ? 2 : /environments\/\{env\}$/.test(p) ? 1 : 0);
    routes.sort((a, b) => rank(a[1]) - rank(b[1]));
    const answers: Record<string, number> = {};
    for (const [method, template] of routes) {
      const path = template.replace(/\{(\w+)\}/g, (_m, name: string) => encodeURIComponent(values[name] ?? 'nothing'));
      const res = await owner.client.request(method, path, { headers: { 'content-type': 'application/json' } });
      answers[`${method} ${template}`] = res.status;
      expect({ route: `${method} ${template}`, status: res.status, text: res.text.slice(0, 300) }).toEqual(expect.objectContaining({ route: `${method} ${template}` }));
      expect(res.status).toBeLessThan(500);
      expect([400, 415]).not.toContain(res.status);
    }
    expect(answers['POST /v1/apps/{app}/environments/{env}/restart']).toBe(202);
    // GETs as the README's alias sends them (content type on every call) are unaffected.
    expect((await owner.client.request('GET', '/v1/users/me', { headers: { 'content-type': 'application/json' } })).status).toBe(200);
    expect(answers['DELETE /v1/tokens/{token}']).toBeLessThan(300);
    expect(answers['DELETE /v1/apps/{app}']).toBeLessThan(300);
  });

  it('accepts any JSON media type with an empty body too (application/merge-patch+json, vendor +json, charset)', async () => {
    const env = await newEnvironment(app);
    for (const type of ['application/merge-patch+json', 'application/vnd.berth+json', 'application/json; charset=utf-8']) {
      const res = await env.app.team.owner.client.post(`${env.path}/restart`, undefined, { headers: { 'content-type': type } });
      expect(res.status).toBe(202);
    }
  });
});

describe('media types', () => {
  it('refuses form-urlencoded and text bodies with 415 problem+json, and changes nothing', async () => {
    for (const type of ['application/x-www-form-urlencoded', 'text/plain', 'multipart/form-data; boundary=x', 'application/xml']) {
      const res = await app.admin.post('/v1/teams', 'name=from-a-form', { headers: { 'content-type': type } });
      expect(res.status).toBe(415);
      expect(res.headers.get('content-type')).toMatch(PROBLEM);
      expect(res.body).toMatchObject({ code: 'unsupported-media-type', status: 415 });
    }
    expect((await app.admin.get('/v1/teams/from-a-form')).status).toBe(404);
  });

  it('parses application/merge-patch+json and vendor +json bodies', async () => {
    const res = await app.admin.post('/v1/teams', { name: 'vendor-json' }, { headers: { 'content-type': 'application/vnd.example+json' } });
    expect(res.status).toBe(201);
  });

  it('answers malformed JSON with 400 problem+json naming the body', async () => {
    const res = await app.admin.post('/v1/teams', '{"name": ', { headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(PROBLEM);
    expect(res.body).toMatchObject({ field: 'body' });
  });

  it('refuses a prototype-polluting body', async () => {
    const res = await app.admin.post('/v1/teams', '{"name":"x","__proto__":{"admin":true}}', { headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(400);
  });
});

describe('nesting', () => {
  it('answers a 30 KB body nested 5,000 levels deep with 400 before parsing it, on REST and GraphQL', async () => {
    const deep = '['.repeat(5000) + ']'.repeat(5000);
    for (const [path, body] of [
      ['/v1/teams', `{"name":"deep","display_name":${deep}}`],
      ['/v1/apps/x/environments/y/config-vars', `{"vars":${deep}}`],
      ['/graphql', `{"query":"{ me { email } }","variables":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}}`],
    ] as const) {
      const res = await app.admin.request(path.includes('config') ? 'PATCH' : 'POST', path, { body, headers: { 'content-type': 'application/json', 'idempotency-key': 'deep-1' } });
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toMatch(PROBLEM);
      expect(res.body).toMatchObject({ field: 'body' });
      expect(String((res.body as { detail: string }).detail)).toMatch(/nested more than 64 levels/);
    }
  });
});

describe('explicit null', () => {
  it('PATCH /v1/teams/x {"display_name": null}: 422 naming the field, nothing changed; the same over GraphQL', async () => {
    const team = expectStatus(await app.admin.post<{ name: string; display_name: string }>('/v1/teams', { name: 'null-team', display_name: 'Kept' }), 201).body;
    const res = await app.admin.patch(`/v1/teams/${team.name}`, { display_name: null });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ code: 'validation-failed', field: 'display_name' });
    const response = await fetch(`${app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${app.adminToken}` },
      body: JSON.stringify({ query: `mutation { updateTeam(input: { team: "${team.name}", displayName: null }) { team { name } } }` }),
    });
    const body = (await response.json()) as { errors: Array<{ extensions: Record<string, unknown> }> };
    expect(body.errors[0]?.extensions).toMatchObject({ code: 'VALIDATION_FAILED', field: 'displayName' });
    expect(expectStatus(await app.admin.get<{ display_name: string }>(`/v1/teams/${team.name}`), 200).body.display_name).toBe('Kept');
  });
});

describe('GraphQL documents', () => {
  it('answers a document nested 5,000 levels deep (in a JSON argument literal) with 400, never 5xx', async () => {
    const deep = '{ a: '.repeat(5000) + '1' + ' }'.repeat(5000);
    const response = await fetch(`${app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${app.adminToken}` },
      body: JSON.stringify({ query: `mutation { updateConfigVars(input: { app: "x", environment: "y", idempotencyKey: "deep", set: ${deep} }) { __typename } }` }),
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { errors: Array<{ message: string; extensions: { code: string } }> };
    expect(body.errors[0]?.extensions.code).not.toBe('INTERNAL_ERROR');
  });
});

describe('NUL characters', () => {
  it('refuses NUL in a text field, the path or the query with 422 naming where', async () => {
    const body = await app.admin.post('/v1/teams', { name: 'nul-team', display_name: 'a\u0000b' });
    expect(body.status).toBe(422);
    expect(body.body).toMatchObject({ code: 'validation-failed', field: 'display_name' });
    for (const path of ['/v1/teams/a%00b', '/v1/apps/x%00/environments', '/v1/apps?team=a%00']) {
      const res = await app.admin.get(path);
      expect(res.status).toBe(422);
      expect(res.headers.get('content-type')).toMatch(PROBLEM);
      expect(res.body).toMatchObject({ field: path.includes('?') ? 'team' : path.includes('teams') ? 'team' : 'app' });
    }
  });

  it('refuses NUL in GraphQL arguments and variables naming them', async () => {
    const post = (payload: unknown) =>
      fetch(`${app.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${app.adminToken}` }, body: JSON.stringify(payload) }).then(
        async (r) => ({ status: r.status, body: (await r.json()) as { errors?: Array<{ extensions: Record<string, unknown> }> } }),
      );
    const literal = await post({ query: '{ team(team: "a\\u0000b") { name } }' });
    expect(literal.body.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION_FAILED', field: 'team' });
    const variable = await post({ query: 'query($r: String!) { team(team: $r) { name } }', variables: { r: 'a\u0000b' } });
    expect(variable.status).toBe(400);
    expect(variable.body.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION_FAILED', field: 'variables.r' });
  });
});

describe("Fastify's and Node's own errors", () => {
  /** Sends raw bytes and reads the whole answer (the server closes the connection). */
  function raw(request: string): Promise<string> {
    const { port } = new URL(app.url);
    return new Promise((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1', () => socket.end(request));
      let data = '';
      socket.on('data', (chunk) => (data += chunk.toString()));
      socket.on('end', () => resolve(data));
      socket.on('error', reject);
    });
  }

  it('answers oversized headers (431) as problem+json', async () => {
    const answer = await raw(`GET /v1/users/me HTTP/1.1\r\nhost: x\r\nx-big: ${'a'.repeat(20_000)}\r\n\r\n`);
    expect(answer).toMatch(/^HTTP\/1\.1 431/);
    expect(answer).toMatch(/content-type: application\/problem\+json/i);
    expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4))).toMatchObject({ status: 431 });
  });

  it('answers a malformed request line (400) as problem+json', async () => {
    const answer = await raw('GARBAGE\r\n\r\n');
    expect(answer).toMatch(/^HTTP\/1\.1 400/);
    expect(answer).toMatch(/content-type: application\/problem\+json/i);
  });

  it('answers a bad URL as problem+json', async () => {
    const res = await app.admin.get('/v1/teams/%E0%A4%A');
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(res.headers.get('content-type')).toMatch(PROBLEM);
  });

  it('answers a path segment over the router limit with 414 problem+json naming the path', async () => {
    const res = await app.admin.get(`/v1/teams/${'a'.repeat(300)}`);
    expect(res.status).toBe(414);
    expect(res.headers.get('content-type')).toMatch(PROBLEM);
    expect(res.body).toMatchObject({ status: 414, field: 'path' });
  });

  it('answers a body over the limit with 413 problem+json', async () => {
    const res = await app.admin.post('/v1/teams', { name: 'big', display_name: 'x'.repeat(2_000_000) });
    expect(res.status).toBe(413);
    expect(res.headers.get('content-type')).toMatch(PROBLEM);
  });
});
