import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from '../support/database.js';
import { newEnvironment, newMember } from '../support/factories.js';
import { expectStatus } from '../support/http.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

interface Domain {
  id: string;
  hostname: string;
  created_at: string;
}

describe('domains', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(async () => {
    await app.close();
  });

  it('adds, lists, reads and removes a domain', async () => {
    const env = await newEnvironment(app);
    const client = env.app.team.owner.client;
    const url = `${env.path}/domains`;
    const created = expectStatus(await client.post<Domain>(url, { hostname: 'shop.example.com' }), 201).body;
    expect(Object.keys(created).sort()).toEqual(['created_at', 'hostname', 'id']);
    expectStatus(await client.post(url, { hostname: '*.shop.example.com' }), 201);
    const list = expectStatus(await client.get<{ items: Domain[] }>(url), 200).body;
    expect(list.items.map((d) => d.hostname)).toEqual(['shop.example.com', '*.shop.example.com']);
    expect(expectStatus(await client.get<Domain>(`${url}/shop.example.com`), 200).body.id).toBe(created.id);
    expectStatus(await client.delete(`${url}/shop.example.com`), 204);
    expect((await client.get(`${url}/shop.example.com`)).status).toBe(404);
    expect((await client.delete(`${url}/shop.example.com`)).status).toBe(404);
  });

  it('keeps hostnames unique across the installation, across apps and teams', async () => {
    const first = await newEnvironment(app);
    const second = await newEnvironment(app);
    expectStatus(await first.app.team.owner.client.post(`${first.path}/domains`, { hostname: 'api.example.org' }), 201);
    const res = await second.app.team.owner.client.post(`${second.path}/domains`, { hostname: 'api.example.org' });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: 'already-exists', field: 'hostname' });
  });

  it('refuses invalid hostnames, naming the field and explaining uppercase, and writes nothing', async () => {
    const env = await newEnvironment(app);
    const before = await sql(app.databaseUrl, 'SELECT id FROM domains');
    const upper = await env.app.team.owner.client.post(`${env.path}/domains`, { hostname: 'Shop.Example.com' });
    expect(upper.status).toBe(422);
    expect(upper.body).toMatchObject({ field: 'hostname' });
    expect(String((upper.body as { detail: string }).detail)).toMatch(/lowercase/);
    for (const hostname of ['localhost', 'bad_label.example.com', '10.0.0.1', 'a..b', `${'x'.repeat(64)}.example.com`, 5]) {
      const res = await env.app.team.owner.client.post(`${env.path}/domains`, { hostname });
      expect([res.status, (res.body as { field?: string }).field]).toEqual([422, 'hostname']);
    }
    expect(await sql(app.databaseUrl, 'SELECT id FROM domains')).toEqual(before);
  });

  it('allows at most 50 domains per environment', async () => {
    const env = await newEnvironment(app);
    await sql(
      app.databaseUrl,
      `INSERT INTO domains (id, team_id, environment_id, hostname)
       SELECT gen_random_uuid(), $1::uuid, $2::uuid, 'd' || g || '.' || $3 || '.example.com' FROM generate_series(1, 50) AS g`,
      [env.app.team.id, env.id, env.id.slice(-12)],
    );
    const res = await env.app.team.owner.client.post(`${env.path}/domains`, { hostname: 'one-too-many.example.com' });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ code: 'quota-exceeded', field: 'hostname' });
  });

  it('lets viewers read but not add or remove, and hides other teams\' environments', async () => {
    const env = await newEnvironment(app);
    const client = env.app.team.owner.client;
    expectStatus(await client.post(`${env.path}/domains`, { hostname: 'viewer-test.example.com' }), 201);
    const viewer = await newMember(app, env.app.team, 'viewer');
    expectStatus(await viewer.client.get(`${env.path}/domains`), 200);
    expectStatus(await viewer.client.get(`${env.path}/domains/viewer-test.example.com`), 200);
    expect((await viewer.client.post(`${env.path}/domains`, { hostname: 'v2.example.com' })).status).toBe(403);
    expect((await viewer.client.delete(`${env.path}/domains/viewer-test.example.com`)).status).toBe(403);
    const other = await newEnvironment(app);
    expect((await other.app.team.owner.client.get(`${env.path}/domains`)).status).toBe(404);
    expect((await other.app.team.owner.client.delete(`${env.path}/domains/viewer-test.example.com`)).status).toBe(404);
    // Another environment of the same team cannot reach it through its own path either.
    const sibling = await newEnvironment(app, { app: env.app, name: 'sibling' });
    expect((await client.get(`${sibling.path}/domains/viewer-test.example.com`)).status).toBe(404);
  });
});
