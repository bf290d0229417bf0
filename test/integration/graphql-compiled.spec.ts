// Queries that come back run compiled (src/graphql/compiled-queries.ts). The first use of a document
// runs interpreted, the next ones compiled: each case below is sent three times and must get the
// same answer (status and body) every time, with the compiled executions counted. Side effects of a
// read (the audited reveal of config vars) happen once per request, whichever way it ran.
import { sql } from '../support/database.js';
import { newApp, newEnvironment, newTeam } from '../support/factories.js';
import { expectStatus } from '../support/http.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { gql, type GqlResponse } from './graphql-client.js';

let app: TestApp;

beforeAll(async () => {
  app = await createTestApp();
});

afterAll(async () => {
  await app.close();
});

async function executions(): Promise<Record<string, number>> {
  const text = expectStatus(await app.anonymous.get<string>('/metrics'), 200).body;
  const out: Record<string, number> = {};
  for (const m of text.matchAll(/^berth_graphql_query_executions_total\{executor="(\w+)"\} (\d+)/gm)) out[m[1]!] = Number(m[2]);
  return out;
}

/** Sends the same request three times; answers the three responses and how many ran compiled. */
async function thrice(token: string | undefined, query: string, variables?: Record<string, unknown>): Promise<{ answers: GqlResponse[]; compiled: number }> {
  const before = (await executions()).compiled ?? 0;
  const answers: GqlResponse[] = [];
  for (let i = 0; i < 3; i += 1) answers.push(await gql(app.url, token, query, variables));
  return { answers, compiled: ((await executions()).compiled ?? 0) - before };
}

function expectSameAnswers({ answers }: { answers: GqlResponse[] }): GqlResponse {
  expect(answers[1]).toEqual(answers[0]);
  expect(answers[2]).toEqual(answers[0]);
  return answers[0]!;
}

describe('compiled queries', () => {
  it('answer a query as its interpreted run did, from the second use on', async () => {
    const owned = await newApp(app);
    const run = await thrice(owned.team.owner.token, 'query($app: String!) { app(app: $app) { uuid name description state version createdAt updatedAt team { id name } } }', { app: owned.name });
    const answer = expectSameAnswers(run);
    expect(answer.status).toBe(200);
    expect(answer.data).toMatchObject({ app: { uuid: owned.id, name: owned.name, state: 'ACTIVE', team: { name: owned.team.name } } });
    expect(run.compiled).toBe(2);
  });

  it('answer aliases, fragments, __typename, @include/@skip with variables and connections alike', async () => {
    const owned = await newApp(app);
    await newEnvironment(app, { app: owned, name: 'one' });
    await newEnvironment(app, { app: owned, name: 'two' });
    const query = `query($app: String!, $withEnvs: Boolean!, $skipTeam: Boolean!) {
      a: app(app: $app) { ...AppBits environments(first: 1) @include(if: $withEnvs) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { name } } } team @skip(if: $skipTeam) { __typename name } }
      me { __typename email }
    }
    fragment AppBits on App { __typename uuid name }`;
    for (const variables of [{ withEnvs: true, skipTeam: false }, { withEnvs: false, skipTeam: true }]) {
      const run = await thrice(owned.team.owner.token, query, { app: owned.name, ...variables });
      const answer = expectSameAnswers(run);
      expect(answer.errors).toBeUndefined();
      expect(Object.keys((answer.data as { a: object }).a).sort()).toEqual(variables.withEnvs ? ['__typename', 'environments', 'name', 'team', 'uuid'] : ['__typename', 'name', 'uuid']);
    }
  });

  it("answer NOT_FOUND for another team's app with the same error, path and status", async () => {
    const owned = await newApp(app);
    const stranger = await newTeam(app);
    const run = await thrice(stranger.owner.token, 'query($app: String!) { app(app: $app) { name } }', { app: owned.name });
    const answer = expectSameAnswers(run);
    expect(answer.status).toBe(200);
    expect(answer.data).toBeNull();
    expect(answer.errors).toEqual([expect.objectContaining({ path: ['app'], extensions: expect.objectContaining({ code: 'NOT_FOUND', status: 404 }) })]);
    expect(run.compiled).toBe(2);
  });

  it('answer partial data: nodes in order, null with the error at the index that failed', async () => {
    const owned = await newApp(app);
    const appId = Buffer.from(`App:${owned.id}`).toString('base64');
    const run = await thrice(owned.team.owner.token, 'query($ids: [ID!]!) { nodes(ids: $ids) { __typename id ... on App { name } } }', { ids: ['garbled', appId] });
    const answer = expectSameAnswers(run);
    expect(answer.data).toEqual({ nodes: [null, { __typename: 'App', id: appId, name: owned.name }] });
    expect(answer.errors).toEqual([expect.objectContaining({ path: ['nodes', 0], extensions: expect.objectContaining({ code: 'VALIDATION_FAILED', field: 'id' }) })]);
  });

  it('refuse without a token the same way each time', async () => {
    const answer = expectSameAnswers(await thrice(undefined, '{ me { email } }'));
    expect(answer.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('leave variables that do not coerce to Apollo: 400 BAD_USER_INPUT each time, nothing run compiled', async () => {
    const owned = await newApp(app);
    const run = await thrice(owned.team.owner.token, 'query($first: Int) { apps(first: $first) { totalCount } }', { first: 'many' });
    const answer = expectSameAnswers(run);
    expect(answer.status).toBe(400);
    expect(answer.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(run.compiled).toBe(0);
  });

  it('answer introspection alike', async () => {
    const owned = await newApp(app);
    const answer = expectSameAnswers(await thrice(owned.team.owner.token, '{ __type(name: "App") { name kind fields { name } } }'));
    expect((answer.data as { __type: { name: string } }).__type.name).toBe('App');
  });

  it('audit a reveal of config vars once per request, compiled or not', async () => {
    const env = await newEnvironment(app);
    expectStatus(await env.app.team.owner.client.patch(`${env.path}/config-vars`, { set: { GREETING: 'hello' } }), 200);
    const reveals = async () => Number((await sql<{ n: string }>(app.databaseUrl, `SELECT count(*) AS n FROM audit_events WHERE environment_id = $1 AND action = 'config_vars.reveal'`, [env.id]))[0]!.n);
    const before = await reveals();
    const run = await thrice(env.app.team.owner.token, 'query($app: String!, $env: String!) { configVars(app: $app, environment: $env) { vars version } }', { app: env.app.name, env: env.name });
    const answer = expectSameAnswers(run);
    expect(answer.data).toMatchObject({ configVars: { vars: { GREETING: 'hello' } } });
    expect(run.compiled).toBe(2);
    expect((await reveals()) - before).toBe(3);
  });

  it('leave mutations to Apollo', async () => {
    const owned = await newApp(app);
    const run = await thrice(owned.team.owner.token, 'mutation($input: UpdateAppInput!) { updateApp(input: $input) { app { name } } }', { input: { app: owned.name, description: 'same' } });
    expect(run.answers.every((a) => a.status === 200 && !a.errors)).toBe(true);
    expect(run.compiled).toBe(0);
  });
});
