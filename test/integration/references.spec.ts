// A reference (name or id) resolves to exactly the object it names, or 404 (issue #12, item 1):
// a user owning teams X and Y addressing Y by uuid got X (GET, PATCH, DELETE, POST /v1/apps and
// GraphQL node(id) all acted on the caller's own first team).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { toGlobalId } from '../../src/graphql/nodes/global-id.js';
import { sql } from '../support/database.js';
import { newTeam, newUser, type TestTeam, type TestUser } from '../support/factories.js';
import { expectStatus } from '../support/http.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { gql, gqlData } from './graphql-client.js';

const NO_SUCH_UUID = '00000000-0000-7000-8000-00000000dead';

describe('references resolve to exactly what they name', () => {
  let app: TestApp;
  let owner: TestUser;
  let x: TestTeam;
  let y: TestTeam;
  let z: TestTeam;
  beforeAll(async () => {
    app = await createTestApp();
    owner = await newUser(app);
    x = await newTeam(app, { owner });
    y = await newTeam(app, { owner });
    z = await newTeam(app);
  });
  afterAll(async () => {
    await app.close();
  });

  const teamNames = async () => (await sql<{ name: string }>(app.databaseUrl, 'SELECT name FROM teams ORDER BY name')).map((r) => r.name);

  it('REST: GET and PATCH of one of your teams by uuid act on that team, not another of yours', async () => {
    for (const team of [x, y]) {
      const got = expectStatus(await owner.client.get<{ id: string; name: string }>(`/v1/teams/${team.id}`), 200).body;
      expect(got).toMatchObject({ id: team.id, name: team.name });
      const renamed = expectStatus(await owner.client.patch<{ id: string; display_name: string }>(`/v1/teams/${team.id}`, { display_name: `renamed ${team.name}` }), 200).body;
      expect(renamed).toMatchObject({ id: team.id, display_name: `renamed ${team.name}` });
    }
    const rows = await sql<{ id: string; display_name: string }>(app.databaseUrl, 'SELECT id, display_name FROM teams WHERE id = ANY($1::uuid[])', [[x.id, y.id]]);
    expect(Object.fromEntries(rows.map((r) => [r.id, r.display_name]))).toEqual({ [x.id]: `renamed ${x.name}`, [y.id]: `renamed ${y.name}` });
  });

  it('REST: another team or no team by uuid is 404 and changes nothing', async () => {
    const before = await teamNames();
    for (const ref of [z.id, NO_SUCH_UUID, z.name, 'no-such-team']) {
      expect((await owner.client.get(`/v1/teams/${ref}`)).status).toBe(404);
      expect((await owner.client.patch(`/v1/teams/${ref}`, { display_name: 'hijacked' })).status).toBe(404);
      expect((await owner.client.delete(`/v1/teams/${ref}`)).status).toBe(404);
      expect((await owner.client.post('/v1/apps', { name: `a-${Math.random().toString(36).slice(2, 8)}`, team: ref })).status).toBe(404);
    }
    expect(await teamNames()).toEqual(before);
    const [{ n }] = (await sql<{ n: string }>(app.databaseUrl, `SELECT count(*)::text AS n FROM teams WHERE display_name = 'hijacked'`)) as [{ n: string }];
    expect(n).toBe('0');
  });

  it('REST: POST /v1/apps with a team uuid creates the app in that team', async () => {
    const created = expectStatus(await owner.client.post<{ team: { id: string } }>('/v1/apps', { name: 'in-y', team: y.id }), 201).body;
    expect(created.team.id).toBe(y.id);
    const [row] = await sql<{ team_id: string }>(app.databaseUrl, `SELECT team_id FROM apps WHERE name = 'in-y'`);
    expect(row?.team_id).toBe(y.id);
    expectStatus(await owner.client.delete('/v1/apps/in-y'), 204);
  });

  it('REST: DELETE of one of your teams by uuid deletes that team, and only it', async () => {
    const a = await newTeam(app, { owner });
    const b = await newTeam(app, { owner });
    expectStatus(await owner.client.delete(`/v1/teams/${b.id}`), 204);
    const left = await teamNames();
    expect(left).toContain(a.name);
    expect(left).not.toContain(b.name);
  });

  it('GraphQL: team(team:) and node(id:) return the team named, or NOT_FOUND', async () => {
    for (const team of [x, y]) {
      const byRef = await gqlData<{ team: { uuid: string } }>(app.url, owner.token, 'query($t: String!) { team(team: $t) { uuid } }', { t: team.id });
      expect(byRef.team.uuid).toBe(team.id);
      const byNode = await gqlData<{ node: { uuid: string } }>(app.url, owner.token, 'query($id: ID!) { node(id: $id) { ... on Team { uuid } } }', { id: toGlobalId('Team', team.id) });
      expect(byNode.node.uuid).toBe(team.id);
    }
    const foreign = await gql(app.url, owner.token, 'query($id: ID!) { node(id: $id) { ... on Team { uuid } } }', { id: toGlobalId('Team', z.id) });
    expect(foreign.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const created = await gqlData<{ createApp: { app: { uuid: string } } }>(app.url, owner.token, 'mutation($i: CreateAppInput!) { createApp(input: $i) { app { uuid } } }', { i: { name: 'gql-in-y', team: y.id } });
    const [row] = await sql<{ id: string; team_id: string }>(app.databaseUrl, `SELECT id, team_id FROM apps WHERE name = 'gql-in-y'`);
    expect(row).toEqual({ id: created.createApp.app.uuid, team_id: y.id });
    expectStatus(await owner.client.delete('/v1/apps/gql-in-y'), 204);
  });
});
