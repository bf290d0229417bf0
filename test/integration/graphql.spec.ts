// GraphQL at /graphql: same services, inputs, authorisation, audit and idempotency as REST.
import { readFile } from 'node:fs/promises';
import { schemaSdl } from '../../src/graphql/schema-sdl.js';
import { newApp, newEnvironment, newMember, newTeam, newUser } from '../support/factories.js';
import { expectStatus } from '../support/http.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { gql, gqlData } from './graphql-client.js';

let app: TestApp;

beforeAll(async () => {
  app = await createTestApp();
});

afterAll(async () => {
  await app.close();
});

const CREATE_APP = `mutation($input: CreateAppInput!) { createApp(input: $input) { clientMutationId app { id uuid name team { name } version } } }`;

describe('schema', () => {
  it('is the committed docs/schema.graphql', async () => {
    const committed = await readFile('docs/schema.graphql', 'utf8');
    expect(schemaSdl(app.server.app)).toBe(committed);
  });
});

describe('answers', () => {
  it('are marked no-store (each is the caller\'s own)', async () => {
    const user = await newUser(app);
    const response = await fetch(`${app.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${user.token}` }, body: JSON.stringify({ query: '{ me { email } }' }) });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
  });

  it("give an app's team from the app's own reference when only its id and name are asked for, as when loaded", async () => {
    const owned = await newApp(app);
    const query = (fields: string) => gqlData<{ app: { team: Record<string, unknown> } }>(app.url, owned.team.owner.token, `query($app: String!) { app(app: $app) { team { ${fields} } } }`, { app: owned.name });
    const fromReference = (await query('__typename id uuid name role')).app.team;
    const loaded = (await query('__typename id uuid name role displayName version')).app.team;
    expect(fromReference).toEqual({ __typename: 'Team', id: Buffer.from(`Team:${owned.team.id}`).toString('base64'), uuid: owned.team.id, name: owned.team.name, role: 'OWNER' });
    expect(loaded).toMatchObject(fromReference);
  });
});

describe('authentication and authorisation', () => {
  it('refuses a query without a bearer token', async () => {
    const result = await gql(app.url, undefined, '{ me { email } }');
    expect(result.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(result.data ?? null).toBeNull();
  });

  it('answers me with the caller', async () => {
    const user = await newUser(app);
    const data = await gqlData(app.url, user.token, '{ me { id uuid email platformAdmin teams { teamName } } }');
    expect(data.me).toMatchObject({ id: Buffer.from(`User:${user.id}`).toString('base64'), uuid: user.id, email: user.email, platformAdmin: false });
  });

  it("answers NOT_FOUND for another team's app, as REST does", async () => {
    const owned = await newApp(app);
    const stranger = await newUser(app);
    const result = await gql(app.url, stranger.token, `query($app: String!) { app(app: $app) { name } }`, { app: owned.name });
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND', status: 404 });
    expect(result.errors?.[0]?.extensions).not.toHaveProperty('stacktrace');
  });

  it('refuses platform-admin fields to others with FORBIDDEN', async () => {
    const user = await newUser(app);
    const result = await gql(app.url, user.token, '{ users { edges { node { email } } } }');
    expect(result.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

describe('mutations', () => {
  it('creates an app through the same validated input class (VALIDATION_FAILED names the field)', async () => {
    const team = await newTeam(app);
    const result = await gql(app.url, team.owner.token, CREATE_APP, { input: { name: 'Not A Label', team: team.name } });
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION_FAILED', field: 'name' });
    expect((result.errors?.[0]?.extensions?.invalid_params as Array<{ name: string }>)[0]?.name).toBe('name');
  });

  it('creates an app, visible over REST, with exactly one audit event', async () => {
    const team = await newTeam(app);
    const data = await gqlData(app.url, team.owner.token, CREATE_APP, { input: { name: `gql-${Date.now()}`, team: team.name } });
    const created = data.createApp.app as { uuid: string; name: string; id: string };
    expect(Buffer.from(created.id, 'base64').toString()).toBe(`App:${created.uuid}`);
    expectStatus(await team.owner.client.get(`/v1/apps/${created.name}`), 200);
    const events = expectStatus(await app.admin.get<{ items: Array<{ action: string; target: { id: string } }> }>(`/v1/audit-events?action=app.create&target=${created.uuid}`), 200).body.items;
    expect(events).toHaveLength(1);
  });

  it('replays with the same idempotencyKey, refuses other input (422) and audits once', async () => {
    const team = await newTeam(app);
    const input = { name: `idem-${Date.now()}`, team: team.name, idempotencyKey: 'k-1' };
    const first = await gqlData(app.url, team.owner.token, CREATE_APP, { input: { ...input, clientMutationId: 'first' } });
    expect(first.createApp.clientMutationId).toBe('first');
    // clientMutationId is the caller's echo, not part of the request: a retry may carry another.
    const again = await gqlData(app.url, team.owner.token, CREATE_APP, { input: { ...input, clientMutationId: 'retry' } });
    expect(again.createApp).toEqual({ ...first.createApp, clientMutationId: 'retry' });
    const other = await gql(app.url, team.owner.token, CREATE_APP, { input: { ...input, name: `${input.name}-x` } });
    expect(other.errors?.[0]?.extensions).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', status: 422, field: 'idempotencyKey' });
    const events = expectStatus(await app.admin.get<{ items: unknown[] }>(`/v1/audit-events?action=app.create&target=${(first.createApp.app as { uuid: string }).uuid}`), 200).body.items;
    expect(events).toHaveLength(1);
  });

  it('expectedVersion behaves like If-Match: optional, PRECONDITION_FAILED when stale', async () => {
    const env = await newEnvironment(app);
    const token = env.app.team.owner.token;
    const UPDATE = `mutation($app: String!, $env: String!, $v: Int) { updateEnvironment(input: { app: $app, environment: $env, production: true, expectedVersion: $v }) { environment { production version } } }`;
    const vars = { app: env.app.name, env: env.name };
    const unconditional = await gqlData(app.url, token, UPDATE, vars);
    expect(unconditional.updateEnvironment.environment).toMatchObject({ production: true });
    const current = (await gqlData(app.url, token, `query($app: String!, $env: String!) { environment(app: $app, environment: $env) { version } }`, vars)).environment as { version: number };
    const stale = await gql(app.url, token, UPDATE, { ...vars, v: current.version + 5 });
    expect(stale.errors?.[0]?.extensions).toMatchObject({ code: 'PRECONDITION_FAILED', status: 412 });
    const ok = await gqlData(app.url, token, UPDATE, { ...vars, v: current.version });
    expect(ok.updateEnvironment.environment).toMatchObject({ production: true, version: current.version + 1 });
  });

  it('loads the links of each root mutation field after the ones before it ran', async () => {
    const env = await newEnvironment(app);
    const TWO = `mutation($a: String!, $e: String!) {
      one: createRelease(input: { app: $a, environment: $e, image: "registry.example.com/a/b:1" }) { release { number environment { latestRelease { number } } } }
      two: createRelease(input: { app: $a, environment: $e, image: "registry.example.com/a/b:2" }) { release { number environment { latestRelease { number } } } }
    }`;
    const data = await gqlData(app.url, env.app.team.owner.token, TWO, { a: env.app.name, e: env.name });
    expect(data).toEqual({ one: { release: { number: 1, environment: { latestRelease: { number: 1 } } } }, two: { release: { number: 2, environment: { latestRelease: { number: 2 } } } } });
  });

  it('deploys and rolls back with createRelease', async () => {
    const env = await newEnvironment(app);
    const token = env.app.team.owner.token;
    const DEPLOY = `mutation($input: CreateReleaseInput!) { createRelease(input: $input) { release { number image rollbackOf status { phase } } } }`;
    const where = { app: env.app.name, environment: env.name };
    await gqlData(app.url, token, DEPLOY, { input: { ...where, image: 'registry.example.com/a/b:1' } });
    await gqlData(app.url, token, DEPLOY, { input: { ...where, image: 'registry.example.com/a/b:2' } });
    const rollback = await gqlData(app.url, token, DEPLOY, { input: { ...where, rollbackTo: 1 } });
    expect(rollback.createRelease.release).toMatchObject({ number: 3, image: 'registry.example.com/a/b:1', rollbackOf: 1 });
  });

  it('scales with a size from the SizeName enum, as REST does with its catalogue name', async () => {
    const env = await newEnvironment(app);
    const token = env.app.team.owner.token;
    const SCALE = 'mutation($i: UpdateFormationInput!) { updateFormation(input: $i) { formation { processTypes { type size } } } }';
    const where = { app: env.app.name, environment: env.name };
    const scaled = await gqlData(app.url, token, SCALE, { i: { ...where, processTypes: [{ type: 'worker', replicas: 1, size: 'LARGE' }] } });
    expect(scaled.updateFormation.formation.processTypes).toContainEqual({ type: 'worker', size: 'large' });
    const rest = expectStatus(await env.app.team.owner.client.get<{ process_types: Array<{ type: string; size: string }> }>(`${env.path}/formation`), 200).body;
    expect(rest.process_types.find((p) => p.type === 'worker')?.size).toBe('large');
    expect((await gql(app.url, token, SCALE, { i: { ...where, processTypes: [{ type: 'worker', size: 'huge' }] } })).errors?.[0]?.message).toMatch(/SizeName/);
  });

  it('deletes answer the global id of what went, and the object while its deletion is asynchronous', async () => {
    const env = await newEnvironment(app);
    const token = env.app.team.owner.token;
    const gone = await gqlData(app.url, token, 'mutation($i: DeleteEnvironmentInput!) { deleteEnvironment(input: $i) { deletedId environment { uuid state } } }', { i: { app: env.app.name, environment: env.name } });
    expect(gone.deleteEnvironment).toEqual({ deletedId: Buffer.from(`Environment:${env.id}`).toString('base64'), environment: { uuid: env.id, state: 'DELETING' } });
    const empty = await newApp(app, { team: env.app.team });
    const appGone = await gqlData(app.url, token, 'mutation($i: DeleteAppInput!) { deleteApp(input: $i) { deletedId app { uuid } } }', { i: { app: empty.name, idempotencyKey: `del-${empty.id}` } });
    expect(appGone.deleteApp).toEqual({ deletedId: Buffer.from(`App:${empty.id}`).toString('base64'), app: null });
    // A replay answers the stored payload (the app is gone by now, so only the ledger knows its id).
    const replay = await gqlData(app.url, token, 'mutation($i: DeleteAppInput!) { deleteApp(input: $i) { deletedId app { uuid } } }', { i: { app: empty.name, idempotencyKey: `del-${empty.id}` } });
    expect(replay.deleteApp).toEqual(appGone.deleteApp);
    expectStatus(await env.app.team.owner.client.get(`/v1/apps/${empty.name}`), 404);
  });
});

describe('connections and node', () => {
  it('pages apps with first/after', async () => {
    const team = await newTeam(app);
    for (let i = 0; i < 3; i++) await newApp(app, { team });
    const PAGE = `query($team: String, $after: String) { apps(team: $team, first: 2, after: $after) { edges { cursor node { name } } pageInfo { hasNextPage endCursor } } }`;
    const one = (await gqlData(app.url, team.owner.token, PAGE, { team: team.name })).apps as { edges: unknown[]; pageInfo: { hasNextPage: boolean; endCursor: string } };
    expect(one.edges).toHaveLength(2);
    expect(one.pageInfo.hasNextPage).toBe(true);
    const two = (await gqlData(app.url, team.owner.token, PAGE, { team: team.name, after: one.pageInfo.endCursor })).apps as { edges: unknown[]; pageInfo: { hasNextPage: boolean } };
    expect(two.edges).toHaveLength(1);
    expect(two.pageInfo.hasNextPage).toBe(false);
  });

  it('resolves node(id) like the REST get, NOT_FOUND for another team', async () => {
    const env = await newEnvironment(app);
    const id = Buffer.from(`Environment:${env.id}`).toString('base64');
    const NODE = `query($id: ID!) { node(id: $id) { id uuid ... on Environment { name app { name } } } }`;
    const mine = await gqlData(app.url, env.app.team.owner.token, NODE, { id });
    expect(mine.node).toMatchObject({ id, uuid: env.id, name: env.name, app: { name: env.app.name } });
    const stranger = await newUser(app);
    const theirs = await gql(app.url, stranger.token, NODE, { id });
    expect(theirs.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });
});

describe('filters', () => {
  it('takes DateTime bounds for audit events, as REST takes ISO 8601 ones, and refuses a non-date', async () => {
    const team = await newTeam(app);
    const QUERY = 'query($f: AuditEventFilter) { auditEvents(filter: $f, first: 5) { edges { node { action } } } }';
    const within = await gqlData(app.url, app.adminToken, QUERY, { f: { team: team.name, since: '2000-01-01T00:00:00Z', until: '2999-01-01T00:00:00.000Z' } });
    expect(within.auditEvents.edges.map((e: { node: { action: string } }) => e.node.action)).toContain('team.create');
    const before = await gqlData(app.url, app.adminToken, QUERY, { f: { team: team.name, until: '2000-01-01T00:00:00Z' } });
    expect(before.auditEvents.edges).toEqual([]);
    expect((await gql(app.url, app.adminToken, QUERY, { f: { since: 'yesterday' } })).errors?.[0]?.message).toMatch(/DateTime/);
  });
});

describe('Relay connections', () => {
  type Page = { totalCount: number; edges: Array<{ cursor: string; node: { name: string } }>; pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null } };
  const PAGE_INFO = 'totalCount edges { cursor node { name } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor }';
  const ROOT = `query($team: String, $first: Int, $after: String, $last: Int, $before: String) { apps(team: $team, first: $first, after: $after, last: $last, before: $before) { ${PAGE_INFO} } }`;
  const NESTED = `query($team: String!, $first: Int, $after: String, $last: Int, $before: String) { team(team: $team) { apps(first: $first, after: $after, last: $last, before: $before) { ${PAGE_INFO} } } }`;

  // The same round trips through a service-paged root connection and a loader-sliced nested one.
  for (const [kind, query, pick] of [['apps(team:)', ROOT, (d: any) => d.apps], ['Team.apps', NESTED, (d: any) => d.team.apps]] as const) {
    it(`pages ${kind} forward and backward with consistent pageInfo and totalCount`, async () => {
      const team = await newTeam(app);
      for (let i = 0; i < 5; i++) await newApp(app, { team });
      const page = async (vars: Record<string, unknown>): Promise<Page> => pick(await gqlData(app.url, team.owner.token, query, { team: team.name, ...vars })) as Page;
      const names = (p: Page) => p.edges.map((e) => e.node.name);

      const f1 = await page({ first: 2 });
      const f2 = await page({ first: 2, after: f1.pageInfo.endCursor });
      const f3 = await page({ first: 2, after: f2.pageInfo.endCursor });
      const forward = [...names(f1), ...names(f2), ...names(f3)];
      expect(forward).toHaveLength(5);
      expect(new Set(forward).size).toBe(5);
      expect([f1, f2, f3].map((p) => [p.pageInfo.hasPreviousPage, p.pageInfo.hasNextPage])).toEqual([[false, true], [true, true], [true, false]]);
      expect([f1, f2, f3].map((p) => p.totalCount)).toEqual([5, 5, 5]);
      expect(f1.pageInfo.startCursor).toBe(f1.edges[0]!.cursor);
      expect(f1.pageInfo.endCursor).toBe(f1.edges[1]!.cursor);

      const b1 = await page({ last: 2 });
      const b2 = await page({ last: 2, before: b1.pageInfo.startCursor });
      const b3 = await page({ last: 2, before: b2.pageInfo.startCursor });
      expect([...names(b3), ...names(b2), ...names(b1)]).toEqual(forward);
      expect(names(b1)).toEqual(forward.slice(3));
      expect([b1, b2, b3].map((p) => [p.pageInfo.hasPreviousPage, p.pageInfo.hasNextPage])).toEqual([[true, false], [true, true], [false, true]]);
      expect(b3.totalCount).toBe(5);

      // Turning around: the page after the backward page's end is the forward one from there.
      expect(names(await page({ first: 2, after: b3.pageInfo.endCursor }))).toEqual(forward.slice(1, 3));
      // Both bounds: what lies strictly between two cursors.
      expect(names(await page({ first: 10, after: f1.edges[0]!.cursor, before: f3.edges[0]!.cursor }))).toEqual(forward.slice(1, 4));

      const both = await gql(app.url, team.owner.token, query, { team: team.name, first: 1, last: 1 });
      expect(both.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION_FAILED', field: 'last' });
    });
  }

  it('pages releases (newest first) backward from the oldest, and counts them', async () => {
    const env = await newEnvironment(app);
    const token = env.app.team.owner.token;
    for (let i = 1; i <= 3; i++) expectStatus(await env.app.team.owner.client.post(`${env.path}/releases`, { image: `registry.example.com/a/b:${i}` }), 201);
    const Q = `query($a: String!, $e: String!, $last: Int, $before: String) { releases(app: $a, environment: $e, last: $last, before: $before) { totalCount edges { node { number } } pageInfo { hasPreviousPage hasNextPage startCursor } } }`;
    type R = { totalCount: number; edges: Array<{ node: { number: number } }>; pageInfo: { hasPreviousPage: boolean; hasNextPage: boolean; startCursor: string } };
    const last = (await gqlData(app.url, token, Q, { a: env.app.name, e: env.name, last: 2 })).releases as R;
    expect(last.edges.map((e) => e.node.number)).toEqual([2, 1]);
    expect(last.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: false });
    expect(last.totalCount).toBe(3);
    const before = (await gqlData(app.url, token, Q, { a: env.app.name, e: env.name, last: 2, before: last.pageInfo.startCursor })).releases as R;
    expect(before.edges.map((e) => e.node.number)).toEqual([3]);
    expect(before.pageInfo).toMatchObject({ hasPreviousPage: false, hasNextPage: true });

    // The same list as a link from its environment (one window query for every environment asked).
    const NESTED = `query($a: String!, $e: String!, $first: Int, $after: String, $last: Int, $before: String) { environment(app: $a, environment: $e) {
      releases(first: $first, after: $after, last: $last, before: $before) { totalCount edges { node { number } } pageInfo { hasPreviousPage hasNextPage startCursor endCursor } } } }`;
    type N = { environment: { releases: R & { pageInfo: { endCursor: string } } } };
    const vars = { a: env.app.name, e: env.name };
    const n1 = (await gqlData<N>(app.url, token, NESTED, { ...vars, first: 2 })).environment.releases;
    expect(n1.edges.map((e) => e.node.number)).toEqual([3, 2]);
    expect(n1.pageInfo).toMatchObject({ hasPreviousPage: false, hasNextPage: true });
    expect(n1.totalCount).toBe(3);
    const n2 = (await gqlData<N>(app.url, token, NESTED, { ...vars, first: 2, after: n1.pageInfo.endCursor })).environment.releases;
    expect(n2.edges.map((e) => e.node.number)).toEqual([1]);
    expect(n2.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: false });
    const nLast = (await gqlData<N>(app.url, token, NESTED, { ...vars, last: 2 })).environment.releases;
    expect(nLast.edges.map((e) => e.node.number)).toEqual([2, 1]);
    expect(nLast.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: false });
    const nBefore = (await gqlData<N>(app.url, token, NESTED, { ...vars, last: 2, before: nLast.pageInfo.startCursor })).environment.releases;
    expect(nBefore.edges.map((e) => e.node.number)).toEqual([3]);
  });

  it('counts only what the caller may see, with the same filters', async () => {
    const team = await newTeam(app);
    await newApp(app, { team });
    await newApp(app); // another team's
    const data = await gqlData(app.url, team.owner.token, 'query($t: String!) { mine: apps(first: 1) { totalCount } team: apps(team: $t, first: 1) { totalCount } }', { t: team.name });
    expect(data).toEqual({ mine: { totalCount: 1 }, team: { totalCount: 1 } });
  });

  it('keeps backward paging out of REST (it is not a REST parameter)', async () => {
    const team = await newTeam(app);
    const res = await team.owner.client.get<{ invalid_params: Array<{ name: string }> }>(`/v1/apps?before=${Buffer.from(JSON.stringify({ k: 'x' })).toString('base64url')}`);
    expect(res.status).toBe(422);
    expect(res.body.invalid_params.map((p) => p.name)).toEqual(['before']);
  });
});

describe('nodes', () => {
  const NODE = 'query($id: ID!) { node(id: $id) { __typename id uuid } }';
  const found = async (token: string, id: string) => ((await gqlData(app.url, token, NODE, { id })).node as { id: string; uuid: string; __typename: string });
  const code = async (token: string, id: string) => (await gql(app.url, token, NODE, { id })).errors?.[0]?.extensions?.code;

  it('finds users, members, invitations, audit events and registry credentials as their REST reads would, and nothing of another team', async () => {
    const team = await newTeam(app);
    const owner = team.owner.token;
    const stranger = await newTeam(app);
    const invitee = await newUser(app);
    expectStatus(await team.owner.client.post(`/v1/teams/${team.name}/members`, { email: invitee.email, role: 'viewer' }), 201);
    expectStatus(await team.owner.client.put(`/v1/teams/${team.name}/registry-credentials/ghcr.io`, { username: 'bot', password: 'pw-123456' }), 201);
    const data = await gqlData(app.url, owner, `query($t: String!) {
      me { id }
      members(team: $t, first: 5) { edges { node { id userId user { id email } } } }
      invitations(team: $t, first: 5) { edges { node { id email } } }
      registryCredentials(team: $t) { id registry }
      auditEvents(filter: { team: $t }, first: 1) { edges { node { id seq action } } }
    }`, { t: team.name });
    const ids: Record<string, string> = {
      User: data.me.id,
      Member: data.members.edges[0].node.id,
      Invitation: data.invitations.edges[0].node.id,
      RegistryCredential: data.registryCredentials[0].id,
      AuditEvent: data.auditEvents.edges[0].node.id,
    };
    expect(data.members.edges[0].node.user.email).toBe(team.owner.email);
    for (const [type, id] of Object.entries(ids)) {
      expect(Buffer.from(id, 'base64').toString()).toMatch(new RegExp(`^${type}:`));
      expect((await found(owner, id)).__typename).toBe(type);
      expect(await code(stranger.owner.token, id)).toBe('NOT_FOUND');
    }
    expect((await found(owner, ids.AuditEvent!)).uuid).toBe(data.auditEvents.edges[0].node.seq);
    // The person invited reads the invitation addressed to them; platform admins read any user.
    expect((await found(invitee.token, ids.Invitation!)).__typename).toBe('Invitation');
    expect((await found(app.adminToken, ids.User!)).uuid).toBe(team.owner.id);
    // A team viewer is not shown the team's registry logins (REST: team admins only).
    const viewer = await newMember(app, team, 'viewer');
    expect(await code(viewer.token, ids.RegistryCredential!)).toBe('FORBIDDEN');
    expect(await code(viewer.token, ids.User!)).toBe('NOT_FOUND');
  });

  it('answers nodes(ids:) in order, null with NOT_FOUND at the index of what the caller may not read', async () => {
    const mine = await newEnvironment(app);
    const theirs = await newEnvironment(app);
    const gid = (uuid: string) => Buffer.from(`Environment:${uuid}`).toString('base64');
    const result = await gql(app.url, mine.app.team.owner.token, 'query($ids: [ID!]!) { nodes(ids: $ids) { uuid ... on Environment { name } } }', { ids: [gid(mine.id), gid(theirs.id), gid(mine.id)] });
    expect(result.data?.nodes).toEqual([{ uuid: mine.id, name: mine.name }, null, { uuid: mine.id, name: mine.name }]);
    expect(result.errors).toHaveLength(1);
    expect(result.errors?.[0]).toMatchObject({ path: ['nodes', 1], extensions: { code: 'NOT_FOUND' } });
    const tooMany = await gql(app.url, mine.app.team.owner.token, 'query($ids: [ID!]!) { nodes(ids: $ids) { uuid } }', { ids: Array.from({ length: 101 }, () => gid(mine.id)) });
    expect(tooMany.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION_FAILED', field: 'ids' });
    const garbled = await gql(app.url, mine.app.team.owner.token, 'query($ids: [ID!]!) { nodes(ids: $ids) { uuid } }', { ids: ['not-a-global-id', gid(mine.id)] });
    expect(garbled.data?.nodes).toEqual([null, { uuid: mine.id }]);
    expect(garbled.errors?.[0]).toMatchObject({ path: ['nodes', 0], extensions: { code: 'VALIDATION_FAILED', field: 'id' } });
  });
});

describe('registry credentials', () => {
  it('sets, lists and forgets a team\'s registry login as REST does; the password is never readable', async () => {
    const team = await newTeam(app);
    const token = team.owner.token;
    const vars = { t: team.name };
    const PUT = 'mutation($t: String!) { putRegistryCredential(input: { team: $t, registry: "ghcr.io", username: "bot", password: "s3cret-pw" }) { registryCredential { registry username createdAt } } }';
    const put = (await gqlData(app.url, token, PUT, vars)).putRegistryCredential.registryCredential as { registry: string; username: string; createdAt: string };
    expect(put).toMatchObject({ registry: 'ghcr.io', username: 'bot' });
    expect(put.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
    const listed = await gqlData(app.url, token, 'query($t: String!) { registryCredentials(team: $t) { registry username } }', vars);
    expect(listed.registryCredentials).toEqual([{ registry: 'ghcr.io', username: 'bot' }]);
    expect(JSON.stringify(listed)).not.toContain('s3cret-pw');
    expect(expectStatus(await team.owner.client.get(`/v1/teams/${team.name}/registry-credentials`), 200).body).toEqual([expect.objectContaining({ registry: 'ghcr.io', username: 'bot' })]);
    const outsider = await newUser(app);
    expect((await gql(app.url, outsider.token, 'query($t: String!) { registryCredentials(team: $t) { registry } }', vars)).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const DELETE = 'mutation($t: String!) { deleteRegistryCredential(input: { team: $t, registry: "ghcr.io" }) { deletedId } }';
    expect(Buffer.from((await gqlData(app.url, token, DELETE, vars)).deleteRegistryCredential.deletedId, 'base64').toString()).toMatch(/^RegistryCredential:[0-9a-f-]{36}$/);
    expect((await gql(app.url, token, DELETE, vars)).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });
});

describe('links', () => {
  it("lists an environment's domains as a link, counted", async () => {
    const env = await newEnvironment(app);
    for (const host of ['a', 'b']) expectStatus(await env.app.team.owner.client.post(`${env.path}/domains`, { hostname: `${host}-${env.id.slice(0, 8)}.example.com` }), 201);
    const data = await gqlData(app.url, env.app.team.owner.token, `query($a: String!, $e: String!) { environment(app: $a, environment: $e) { domains(last: 1) { totalCount edges { node { hostname } } pageInfo { hasPreviousPage } } } }`, { a: env.app.name, e: env.name });
    expect(data.environment.domains).toMatchObject({ totalCount: 2, edges: [{ node: { hostname: expect.stringMatching(/\.example\.com$/) } }], pageInfo: { hasPreviousPage: true } });
  });

  it('shows a teammate who deployed, but not whether they are a platform admin', async () => {
    const env = await newEnvironment(app);
    const team = env.app.team;
    expectStatus(await team.owner.client.post(`${env.path}/releases`, { image: 'registry.example.com/a/b:1' }), 201);
    const viewer = await newMember(app, team, 'viewer');
    const Q = `query($a: String!, $e: String!) { release(app: $a, environment: $e, release: "1") { creator { uuid email platformAdmin } environment { name app { name } } } }`;
    const vars = { a: env.app.name, e: env.name };
    const seen = await gql(app.url, viewer.token, Q, vars);
    expect(seen.data?.release).toEqual({ creator: { uuid: team.owner.id, email: team.owner.email, platformAdmin: null }, environment: { name: env.name, app: { name: env.app.name } } });
    expect(seen.errors?.map((e) => [e.path?.join('.'), e.extensions?.code])).toEqual([['release.creator.platformAdmin', 'FORBIDDEN']]);
    expect((await gqlData(app.url, team.owner.token, Q, vars)).release.creator.platformAdmin).toBe(false);
    expect((await gqlData(app.url, app.adminToken, Q, vars)).release.creator.platformAdmin).toBe(false);
  });

  it('walks team → apps → environments → latest release → live status in one query, only within the caller\'s teams', async () => {
    const env = await newEnvironment(app);
    const team = env.app.team;
    await gqlData(app.url, team.owner.token, `mutation { createRelease(input: { app: "${env.app.name}", environment: "${env.name}", image: "example.com/a:1" }) { release { number } } }`);
    const QUERY = `query($t: String!) { team(team: $t) { name apps(first: 5) { pageInfo { hasNextPage hasPreviousPage startCursor } edges { node { name environments(first: 5) { edges { node { name latestRelease { number status { phase } } status { phase } } } } } } } } }`;
    const data = await gqlData(app.url, team.owner.token, QUERY, { t: team.name });
    const apps = data.team.apps as { pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null }; edges: Array<{ node: { name: string; environments: { edges: Array<{ node: { name: string; latestRelease: { number: number; status: { phase: string } } } }> } } }> };
    expect(apps.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: false, startCursor: expect.any(String) });
    expect(apps.edges.map((e) => e.node.name)).toEqual([env.app.name]);
    expect(apps.edges[0]!.node.environments.edges[0]!.node).toMatchObject({ name: env.name, latestRelease: { number: 1, status: { phase: expect.stringMatching(/^[A-Z_]+$/) } } });
    const outsider = await newUser(app);
    expect((await gql(app.url, outsider.token, QUERY, { t: team.name })).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });
});
