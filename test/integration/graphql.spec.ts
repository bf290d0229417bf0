// GraphQL at /graphql: same services, inputs, authorisation, audit and idempotency as REST.
import { readFile } from 'node:fs/promises';
import { schemaSdl } from '../../src/graphql/schema-sdl.js';
import { newApp, newEnvironment, newTeam, newUser } from '../support/factories.js';
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

describe('authentication and authorisation', () => {
  it('refuses a query without a bearer token', async () => {
    const result = await gql(app.url, undefined, '{ me { email } }');
    expect(result.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(result.data ?? null).toBeNull();
  });

  it('answers me with the caller', async () => {
    const user = await newUser(app);
    const data = await gqlData(app.url, user.token, '{ me { id email platformAdmin teams { teamName } } }');
    expect(data.me).toMatchObject({ id: user.id, email: user.email, platformAdmin: false });
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
