import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from '../support/database.js';
import { newApp, newMember, newTeam } from '../support/factories.js';
import { expectStatus, type HttpResponse } from '../support/http.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

describe('apps', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(async () => {
    await app.close();
  });

  it('creates an app in a team and reads it back by name and by id', async () => {
    const team = await newTeam(app);
    const created = expectStatus(await team.owner.client.post<{ id: string; name: string; team: { name: string } }>('/v1/apps', { name: 'checkout', team: team.name }), 201).body;
    expect(created.team.name).toBe(team.name);
    const byName = expectStatus(await team.owner.client.get<{ id: string }>('/v1/apps/checkout'), 200).body;
    const byId = expectStatus(await team.owner.client.get<{ name: string }>(`/v1/apps/${created.id}`), 200).body;
    expect(byName.id).toBe(created.id);
    expect(byId.name).toBe('checkout');
  });

  it('keeps app names unique across the installation, even between teams', async () => {
    const first = await newApp(app);
    const other = await newTeam(app);
    const res = await other.owner.client.post('/v1/apps', { name: first.name, team: other.name });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: 'already-exists', field: 'name' });
  });

  it('answers 404, never 403, for another team\'s app, and lists only your own', async () => {
    const mine = await newApp(app);
    const theirs = await newApp(app);
    const res = await mine.team.owner.client.get(`/v1/apps/${theirs.name}`);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
    const patch = await mine.team.owner.client.patch(`/v1/apps/${theirs.name}`, { description: 'mine now' });
    expect(patch.status).toBe(404);
    const list = expectStatus(await mine.team.owner.client.get<{ items: Array<{ name: string }> }>('/v1/apps'), 200).body;
    expect(list.items.map((a) => a.name)).toEqual([mine.name]);
  });

  it('refuses invalid names and unknown fields with a problem naming the field, and writes nothing', async () => {
    const team = await newTeam(app);
    const before = await sql<{ n: string }>(app.databaseUrl, 'SELECT count(*)::text AS n FROM apps');
    const bad = await team.owner.client.post('/v1/apps', { name: 'Not_A_Label', team: team.name });
    expect(bad.status).toBe(422);
    expect(bad.body).toMatchObject({ code: 'validation-failed', field: 'name', status: 422 });
    expect(String((bad.body as { detail: string }).detail)).toMatch(/name/);
    const unknown = await team.owner.client.post('/v1/apps', { name: 'fine-name', team: team.name, colour: 'blue' });
    expect(unknown.status).toBe(422);
    expect(unknown.body).toMatchObject({ field: 'colour' });
    const after = await sql<{ n: string }>(app.databaseUrl, 'SELECT count(*)::text AS n FROM apps');
    expect(after[0]!.n).toBe(before[0]!.n);
  });

  it('lets viewers read but not change apps', async () => {
    const target = await newApp(app);
    const viewer = await newMember(app, target.team, 'viewer');
    expectStatus(await viewer.client.get(`/v1/apps/${target.name}`), 200);
    const res = await viewer.client.patch(`/v1/apps/${target.name}`, { description: 'x' });
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ code: 'forbidden' });
  });

  it('paginates with a cursor, a next_cursor and a Link header', async () => {
    const team = await newTeam(app);
    for (let i = 0; i < 5; i += 1) await newApp(app, { team });
    const seen: string[] = [];
    let path: string | null = `/v1/apps?team=${team.name}&limit=2`;
    let pages = 0;
    while (path) {
      const res: HttpResponse<{ items: Array<{ name: string }>; next_cursor: string | null }> = expectStatus(
        await team.owner.client.get<{ items: Array<{ name: string }>; next_cursor: string | null }>(path),
        200,
      );
      seen.push(...res.body.items.map((a) => a.name));
      pages += 1;
      const link: string | null = res.headers.get('link');
      if (res.body.next_cursor) {
        expect(link).toMatch(/rel="next"/);
        path = /<([^>]+)>/.exec(link!)![1]!;
      } else {
        expect(link).toBeNull();
        path = null;
      }
    }
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(5);
    const tooBig = await team.owner.client.get('/v1/apps?limit=101');
    expect(tooBig.status).toBe(422);
    expect(tooBig.body).toMatchObject({ field: 'limit' });
  });
});
