// One GraphQL request cannot stall everyone (#12 item 2): an operation is authenticated once, a
// token's last use is written at most once a minute, aliases and root fields are bounded, and
// GraphQL draws from the same rate-limit buckets as REST (weighted by cost; mutations like their
// REST twins), over HTTP and over graphql-ws.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from '../support/database.js';
import { countQueries } from '../support/query-count.js';
import { newEnvironment, newTeam, newUser, type TestUser } from '../support/factories.js';
import { expectStatus, HttpClient } from '../support/http.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { gql, subscribe, wsClient } from './graphql-client.js';

/** Counts the statements this process sends to PostgreSQL that match `pattern` while `fn` runs. */
const countStatements = (pattern: RegExp, fn: () => Promise<unknown>): Promise<number> => countQueries(fn, pattern);

const aliased = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: me { email }`).join(' ')} }`;

describe('one operation, one authentication', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp({ env: { BERTH_RATE_LIMIT_ENABLED: 'false' } });
  });
  afterAll(async () => {
    await app.close();
  });

  it('refuses 500 aliased `me` before executing any of them', async () => {
    const user = await newUser(app);
    let result: Awaited<ReturnType<typeof gql>> | undefined;
    const lookups = await countStatements(/FROM api_tokens/, async () => (result = await gql(app.url, user.token, aliased(500))));
    expect(result?.status).toBe(400);
    expect(result?.errors?.[0]?.extensions).toMatchObject({ code: 'LIMIT_EXCEEDED', limit: 'root-fields', max: 20, actual: 500 });
    expect(result?.data ?? undefined).toBeUndefined();
    expect(lookups).toBe(0);
  });

  it('refuses more than 30 aliases anywhere in the operation', async () => {
    const user = await newUser(app);
    const fields = Array.from({ length: 31 }, (_, i) => `e${i}: email`).join(' ');
    const result = await gql(app.url, user.token, `{ me { ${fields} } }`);
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'LIMIT_EXCEEDED', limit: 'aliases', max: 30, actual: 31 });
  });

  it('authenticates 20 aliased root fields with one token lookup and at most one last-used write', async () => {
    const user = await newUser(app);
    await sql(app.databaseUrl, `UPDATE api_tokens SET last_used_at = now() - interval '1 hour' WHERE user_id = $1`, [user.id]);
    let result: Awaited<ReturnType<typeof gql>> | undefined;
    const statements: string[] = [];
    const lookups = await countStatements(/FROM api_tokens t JOIN users/, async () => {
      const updates = await countStatements(/UPDATE api_tokens SET last_used_at/, async () => (result = await gql(app.url, user.token, aliased(20))));
      statements.push(String(updates));
    });
    expect(result?.errors).toBeUndefined();
    expect(Object.keys(result?.data ?? {})).toHaveLength(20);
    expect(lookups).toBe(1);
    expect(Number(statements[0])).toBeLessThanOrEqual(1);
  });

  it('200 aliased fields in one batched request (10 operations × 20): one token lookup, at most one last-used write', async () => {
    const user = await newUser(app);
    await sql(app.databaseUrl, `UPDATE api_tokens SET last_used_at = now() - interval '1 hour' WHERE user_id = $1`, [user.id]);
    let answers: unknown[] = [];
    let updates = 0;
    const lookups = await countStatements(/FROM api_tokens t JOIN users/, async () => {
      updates = await countStatements(/UPDATE api_tokens SET last_used_at/, async () => {
        const response = await fetch(`${app.url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${user.token}` },
          body: JSON.stringify(Array.from({ length: 10 }, () => ({ query: aliased(20) }))),
        });
        answers = (await response.json()) as unknown[];
      });
    });
    expect(answers).toHaveLength(10);
    expect(JSON.stringify(answers)).not.toMatch(/"errors"/);
    expect(lookups).toBe(1);
    expect(updates).toBeLessThanOrEqual(1);
  });

  it('writes last_used_at once for 50 concurrent requests of a token last used an hour ago', async () => {
    const user = await newUser(app);
    await sql(app.databaseUrl, `UPDATE api_tokens SET last_used_at = now() - interval '1 hour' WHERE user_id = $1`, [user.id]);
    const updates = await countStatements(/UPDATE api_tokens SET last_used_at/, async () => {
      const answers = await Promise.all(Array.from({ length: 50 }, () => user.client.get('/v1/users/me')));
      expect(answers.every((a) => a.status === 200)).toBe(true);
    });
    // Attempts may be several (each request read an old time); the conditional UPDATE changes the row once.
    const [row] = await sql<{ last_used_at: Date }>(app.databaseUrl, `SELECT last_used_at FROM api_tokens WHERE user_id = $1`, [user.id]);
    expect(Date.now() - new Date(row!.last_used_at).getTime()).toBeLessThan(60_000);
    const written = await countStatements(/UPDATE api_tokens SET last_used_at/, async () => {
      for (let i = 0; i < 5; i++) expectStatus(await user.client.get('/v1/users/me'), 200);
    });
    expect(updates).toBeGreaterThanOrEqual(1);
    expect(written).toBe(0); // used within the minute: not even attempted
  });
});

describe('GraphQL draws from the REST buckets', () => {
  const LIMITS = { BERTH_RATE_LIMIT_PER_HOUR: '1', BERTH_RATE_LIMIT_BURST: '60', BERTH_DEPLOY_RATE_LIMIT_PER_HOUR: '2' };
  let setup: TestApp;
  let limited: TestApp;
  beforeAll(async () => {
    setup = await createTestApp({ env: { BERTH_RATE_LIMIT_ENABLED: 'false' } });
    limited = await createTestApp({ databaseUrl: setup.databaseUrl, env: LIMITS });
  });
  afterAll(async () => {
    await limited.close();
    await setup.close();
  });

  it('after a REST 429 on deploys, createRelease over GraphQL is refused too (429, RATE_LIMITED, Retry-After)', async () => {
    const env = await newEnvironment(setup);
    const owner = new HttpClient(limited.url, env.app.team.owner.token);
    const deploy = (i: number) => owner.post(`${env.path}/releases`, { image: `registry.example.com/x/y:${i}` });
    expectStatus(await deploy(1), 201);
    expectStatus(await deploy(2), 201);
    expect((await deploy(3)).status).toBe(429);
    const response = await fetch(`${limited.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${env.app.team.owner.token}` },
      body: JSON.stringify({
        query: 'mutation($app: String!, $env: String!) { createRelease(input: { app: $app, environment: $env, image: "registry.example.com/x/y:4" }) { release { number } } }',
        variables: { app: env.app.name, env: env.name },
      }),
    });
    expect(response.status).toBe(429);
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
    const body = (await response.json()) as { errors: Array<{ extensions: Record<string, unknown> }> };
    expect(body.errors[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', bucket: 'deploy' });
    const [{ n }] = (await sql<{ n: string }>(setup.databaseUrl, 'SELECT count(*)::text AS n FROM releases WHERE environment_id = $1', [env.id])) as [{ n: string }];
    expect(n).toBe('2');
  });

  it('weighs an operation by its cost: an expensive query empties the bucket a cheap one would barely touch', async () => {
    const user: TestUser = await newUser(setup);
    await newTeam(setup, { owner: user });
    // apps(first: 100) { edges { node { environments(first: 50) { edges { node { name } } } } } }: cost ≈ 100 × 50 × 3.
    const expensive = '{ apps(first: 100) { edges { node { name environments(first: 10) { edges { node { name id } } } } } } }';
    const first = await gql(limited.url, user.token, expensive);
    expect(first.status).toBe(200);
    const second = await gql(limited.url, user.token, expensive);
    expect(second.status).toBe(429);
    expect(second.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', bucket: 'api' });
  });

  it('shares one bucket between REST and GraphQL', async () => {
    const user = await newUser(setup);
    const client = new HttpClient(limited.url, user.token);
    for (let i = 0; i < 59; i++) expectStatus(await client.get('/v1/users/me'), 200);
    expect((await gql(limited.url, user.token, '{ me { email } }')).status).toBe(200);
    const refused = await gql(limited.url, user.token, '{ me { email } }');
    expect(refused.status).toBe(429);
    expect((await client.get('/v1/users/me')).status).toBe(429);
  });

  it('counts graphql-ws connections and subscriptions against the token', async () => {
    const user = await newUser(setup);
    const client = new HttpClient(limited.url, user.token);
    for (let i = 0; i < 59; i++) expectStatus(await client.get('/v1/users/me'), 200);
    const ws = wsClient(limited.url, user.token); // the connection takes the 60th token
    const sub = subscribe(ws, 'subscription($team: String!) { auditEvents(team: $team) { action } }', { team: 'nothing' });
    await sub.waitFor(() => sub.errors.length > 0 || sub.completed);
    expect(JSON.stringify(sub.errors)).toMatch(/RATE_LIMITED/);
    await ws.dispose();
    expect((await client.get('/v1/users/me')).status).toBe(429);
  });
});
