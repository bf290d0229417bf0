import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { namespaceProblem } from '../../src/modules/environments/environments.service.js';
import { sql } from '../support/database.js';
import { newApp, newEnvironment, newMember, newTeam } from '../support/factories.js';
import { expectStatus } from '../support/http.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

interface Env {
  id: string;
  name: string;
  namespace: string;
  production: boolean;
  auto_rollback: boolean;
  state: string;
  current_release: number | null;
  version: number;
  app: { id: string; name: string };
  team: { id: string; name: string };
}

const count = async (app: TestApp, table: string) => Number((await sql<{ n: string }>(app.databaseUrl, `SELECT count(*)::text AS n FROM ${table}`))[0]!.n);

describe('environments', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(async () => {
    await app.close();
  });

  it('creates, reads (by name and id), lists, updates and deletes an environment', async () => {
    const parent = await newApp(app);
    const client = parent.team.owner.client;
    const base = `/v1/apps/${parent.name}/environments`;
    const created = expectStatus(await client.post<Env>(base, { name: 'prod', production: true }), 201).body;
    expect(created).toMatchObject({
      name: 'prod',
      namespace: `${parent.name}-prod`,
      production: true,
      auto_rollback: false,
      state: 'active',
      current_release: null,
      version: 1,
      app: { id: parent.id, name: parent.name },
      team: { id: parent.team.id, name: parent.team.name },
    });
    expect(expectStatus(await client.get<Env>(`${base}/${created.id}`), 200).body.name).toBe('prod');
    await newEnvironment(app, { app: parent, name: 'staging' });
    const list = expectStatus(await client.get<{ items: Env[] }>(base), 200).body;
    expect(list.items.map((e) => e.name).sort()).toEqual(['prod', 'staging']);

    // If-Match is optional and honoured (docs/api-conventions.md; concurrency.spec walks every route).
    const unconditional = expectStatus(await client.patch<Env>(`${base}/prod`, { failure_restart_threshold: 4 }), 200);
    expect(unconditional.body).toMatchObject({ failure_restart_threshold: 4, version: 2 });
    const patched = expectStatus(await client.patch<Env>(`${base}/prod`, { auto_rollback: true }, { headers: { 'if-match': '"2"' } }), 200);
    expect(patched.body).toMatchObject({ auto_rollback: true, production: true, version: 3 });
    expect(patched.headers.get('etag')).toBe('"3"');
    const stale = await client.patch(`${base}/prod`, { production: false }, { headers: { 'if-match': '"2"' } });
    expect(stale.status).toBe(412);

    const quotaBefore = expectStatus(await client.get<{ usage: { environments: number } }>(`/v1/teams/${parent.team.name}/quota`), 200).body.usage.environments;
    expect(quotaBefore).toBe(2);
    const deleting = expectStatus(await client.delete<Env>(`${base}/prod`), 202);
    expect(deleting.body.state).toBe('deleting');
    // With no cluster to clean up, the reconciler removes the record straight away, so a deploy
    // meets either the deletion (409) or its end (404); workloads/deploy.spec covers the 409 window.
    expect([404, 409]).toContain((await client.post(`${base}/prod/releases`, { image: 'nginx:1' })).status);
    for (let i = 0; i < 200 && (await client.get(`${base}/prod`)).status !== 404; i += 1) await new Promise((r) => setTimeout(r, 50));
    expect((await client.get(`${base}/prod`)).status).toBe(404);
    const quotaAfter = expectStatus(await client.get<{ usage: { environments: number } }>(`/v1/teams/${parent.team.name}/quota`), 200).body.usage.environments;
    expect(quotaAfter).toBe(1);
  });

  it('keeps names unique per app (409) but allows the same name in another app', async () => {
    const first = await newEnvironment(app, { name: 'staging' });
    const again = await first.app.team.owner.client.post(`/v1/apps/${first.app.name}/environments`, { name: 'staging' });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'already-exists', field: 'name' });
    await newEnvironment(app, { app: await newApp(app, { team: first.app.team }), name: 'staging' });
  });

  it('refuses invalid names with a problem naming the field and writes nothing', async () => {
    const parent = await newApp(app);
    const before = await count(app, 'environments');
    for (const name of ['Staging', 'a_b', '-x', 'x'.repeat(23), '']) {
      const res = await parent.team.owner.client.post(`/v1/apps/${parent.name}/environments`, { name });
      expect(res.status).toBe(422);
      expect(res.body).toMatchObject({ code: 'validation-failed', field: 'name' });
    }
    const wrongType = await parent.team.owner.client.post(`/v1/apps/${parent.name}/environments`, { name: 'ok', production: 'yes' });
    expect(wrongType.body).toMatchObject({ field: 'production' });
    expect(await count(app, 'environments')).toBe(before);
  });

  it('keeps the namespace <app>-<env> within 63 characters', async () => {
    const longApp = await newApp(app, { name: `a${'b'.repeat(39)}` });
    const env = expectStatus(await longApp.team.owner.client.post<Env>(`/v1/apps/${longApp.name}/environments`, { name: 'e'.repeat(22) }), 201).body;
    expect(env.namespace).toHaveLength(63);
    // The name limits make the sum fit exactly today; the rule itself still guards against longer app names.
    expect(namespaceProblem('a'.repeat(41), 'e'.repeat(22))).toMatch(/64 characters long; at most 21/);
    expect(namespaceProblem('a'.repeat(40), 'e'.repeat(22))).toBeUndefined();
  });

  it('answers 404 for another team\'s app or environment and 403 below the role', async () => {
    const mine = await newEnvironment(app);
    const theirs = await newEnvironment(app);
    const me = mine.app.team.owner.client;
    expect((await me.get(theirs.path)).status).toBe(404);
    expect((await me.get(`/v1/apps/${mine.app.name}/environments/${theirs.id}`)).status).toBe(404);
    expect((await me.post(`/v1/apps/${theirs.app.name}/environments`, { name: 'sneaky' })).status).toBe(404);
    expect((await me.get(`/v1/apps/${mine.app.name}/environments/nope`)).status).toBe(404);

    const viewer = await newMember(app, mine.app.team, 'viewer');
    expectStatus(await viewer.client.get(mine.path), 200);
    expect((await viewer.client.patch(mine.path, { production: true }, { headers: { 'if-match': '"1"' } })).status).toBe(403);
    expect((await viewer.client.post(`/v1/apps/${mine.app.name}/environments`, { name: 'v' })).status).toBe(403);
    const developer = await newMember(app, mine.app.team, 'developer');
    const del = await developer.client.delete(mine.path);
    expect(del.status).toBe(403);
    expect(del.body).toMatchObject({ code: 'forbidden' });
  });

  it('refuses new environments in an app being deleted, and still resolves environments being deleted', async () => {
    const env = await newEnvironment(app);
    const client = env.app.team.owner.client;
    await sql(app.databaseUrl, `UPDATE apps SET state = 'deleting' WHERE id = $1`, [env.app.id]);
    const res = await client.post(`/v1/apps/${env.app.name}/environments`, { name: 'late' });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: 'invalid-state' });

    await sql(app.databaseUrl, `UPDATE environments SET state = 'deleting' WHERE id = $1`, [env.id]);
    expect(expectStatus(await client.get<Env>(env.path), 200).body.state).toBe('deleting');
  });

  it('records an audit event for each change', async () => {
    const team = await newTeam(app);
    const parent = await newApp(app, { team });
    const env = await newEnvironment(app, { app: parent, name: 'audited' });
    await team.owner.client.patch(env.path, { production: true }, { headers: { 'if-match': '"1"' } });
    const rows = await sql<{ action: string; target_name: string }>(app.databaseUrl, `SELECT action, target_name FROM audit_events WHERE environment_id = $1 ORDER BY seq`, [env.id]);
    expect(rows.map((r) => r.action)).toEqual(['environment.create', 'environment.update']);
    expect(rows[0]!.target_name).toBe('audited');
  });
});
