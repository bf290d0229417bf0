// Rate limits run against two Berth replicas sharing one database: `setup` (limits off) makes the
// users and tokens, `limited` and `replica` enforce small buckets. The general bucket refills 1 an
// hour, so nothing refills while a test runs; refill is tested by ageing the stored bucket.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from '../support/database.js';
import { newUser, type TestUser } from '../support/factories.js';
import { expectStatus, HttpClient } from '../support/http.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const LIMITS = { BERTH_RATE_LIMIT_PER_HOUR: '1', BERTH_RATE_LIMIT_BURST: '5', BERTH_DEPLOY_RATE_LIMIT_PER_HOUR: '2' };

describe('rate limits', () => {
  let setup: TestApp;
  let limited: TestApp;
  let replica: TestApp;
  beforeAll(async () => {
    setup = await createTestApp({ env: { BERTH_RATE_LIMIT_ENABLED: 'false' } });
    limited = await createTestApp({ databaseUrl: setup.databaseUrl, env: LIMITS });
    replica = await createTestApp({ databaseUrl: setup.databaseUrl, env: LIMITS });
  });
  afterAll(async () => {
    await replica.close();
    await limited.close();
    await setup.close();
  });

  /** A fresh user (own token, own bucket) whose client talks to the given replica. */
  async function caller(on: TestApp = limited): Promise<TestUser & { on: HttpClient }> {
    const user = await newUser(setup);
    return { ...user, on: new HttpClient(on.url, user.token) };
  }

  it('sends RateLimit headers on every limited answer and refuses the request after the burst with a 429 problem and Retry-After', async () => {
    const a = await caller();
    const remaining: Array<string | null> = [];
    for (let i = 0; i < 5; i++) {
      const res = expectStatus(await a.on.get('/v1/users/me'), 200);
      expect(res.headers.get('ratelimit-limit')).toBe('5');
      expect(Number(res.headers.get('ratelimit-reset'))).toBeGreaterThan(0);
      remaining.push(res.headers.get('ratelimit-remaining'));
    }
    expect(remaining).toEqual(['4', '3', '2', '1', '0']);
    const refused = await a.on.get<{ code: string; status: number; bucket: string }>('/v1/users/me');
    expect(refused.status).toBe(429);
    expect(refused.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(refused.body).toMatchObject({ code: 'rate-limited', status: 429, bucket: 'api' });
    // One token an hour: the next one is about an hour away.
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(3000);
    expect(retryAfter).toBeLessThanOrEqual(3600);
    expect(refused.headers.get('ratelimit-remaining')).toBe('0');
    expect(refused.headers.get('ratelimit-limit')).toBe('5');
    // Still refused: refusals take no token but do not give one back either.
    expect((await a.on.get('/v1/users/me')).status).toBe(429);
  });

  it('keeps tenants apart: one token exhausting its bucket does not starve another token, even of the same user', async () => {
    const a = await caller();
    const b = await caller();
    for (let i = 0; i < 5; i++) expectStatus(await a.on.get('/v1/users/me'), 200);
    expect((await a.on.get('/v1/users/me')).status).toBe(429);
    for (let i = 0; i < 5; i++) expectStatus(await b.on.get('/v1/users/me'), 200);
    // Buckets are per API token: a's second token has a full bucket.
    const second = expectStatus(await a.client.post<{ token: string }>('/v1/tokens', { description: 'second' }), 201).body.token;
    const res = expectStatus(await a.on.as(second).get('/v1/users/me'), 200);
    expect(res.headers.get('ratelimit-remaining')).toBe('4');
  });

  it('shares buckets across replicas through Postgres', async () => {
    const a = await caller(limited);
    const onReplica = new HttpClient(replica.url, a.token);
    for (let i = 0; i < 3; i++) expectStatus(await a.on.get('/v1/users/me'), 200);
    expect(expectStatus(await onReplica.get('/v1/users/me'), 200).headers.get('ratelimit-remaining')).toBe('1');
    expectStatus(await onReplica.get('/v1/users/me'), 200);
    expect((await a.on.get('/v1/users/me')).status).toBe(429);
    expect((await onReplica.get('/v1/users/me')).status).toBe(429);
  });

  it('takes tokens atomically: of 12 concurrent requests exactly the burst succeeds', async () => {
    const a = await caller();
    const statuses = (await Promise.all(Array.from({ length: 12 }, () => a.on.get('/v1/users/me')))).map((r) => r.status).sort();
    expect(statuses).toEqual([...Array(5).fill(200), ...Array(7).fill(429)]);
  });

  it('refills continuously with time, up to the burst', async () => {
    const a = await caller();
    for (let i = 0; i < 5; i++) expectStatus(await a.on.get('/v1/users/me'), 200);
    expect((await a.on.get('/v1/users/me')).status).toBe(429);
    const [{ id: tokenId }] = await sql<{ id: string }>(setup.databaseUrl, 'SELECT id FROM api_tokens WHERE user_id = $1', [a.id]) as [{ id: string }];
    const key = `api:token:${tokenId}`;
    // Ageing the bucket by 1.5 hours is what 1.5 hours of waiting would do: one whole token back.
    await sql(setup.databaseUrl, `UPDATE rate_limit_buckets SET updated_at = updated_at - interval '90 minutes' WHERE key = $1`, [key]);
    expect(expectStatus(await a.on.get('/v1/users/me'), 200).headers.get('ratelimit-remaining')).toBe('0');
    expect((await a.on.get('/v1/users/me')).status).toBe(429);
    // A day idle fills the bucket to its capacity, not beyond.
    await sql(setup.databaseUrl, `UPDATE rate_limit_buckets SET updated_at = updated_at - interval '1 day' WHERE key = $1`, [key]);
    expect(expectStatus(await a.on.get('/v1/users/me'), 200).headers.get('ratelimit-remaining')).toBe('4');
  });

  it('gives deploys (POST …/releases) their own stricter bucket, by route template', async () => {
    const a = await caller();
    const deploy = (app: string) => a.on.post(`/v1/apps/${app}/environments/staging/releases`, { image: 'registry.example.com/x:1' });
    const first = await deploy('some-app');
    expect(first.status).not.toBe(429);
    expect(first.headers.get('ratelimit-limit')).toBe('2');
    expect(first.headers.get('ratelimit-remaining')).toBe('1');
    // Any app: the bucket is the caller's, not the path's.
    expect((await deploy('another-app')).status).not.toBe(429);
    const refused = await deploy('third-app');
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({ code: 'rate-limited', bucket: 'deploy' });
    // Reading releases and everything else still draws from the general bucket.
    const read = await a.on.get('/v1/apps/some-app/environments/staging/releases');
    expect(read.status).not.toBe(429);
    expect(read.headers.get('ratelimit-limit')).toBe('5');
  });

  it('never limits health, readiness or metrics, and counts refusals in berth_rate_limited_total', async () => {
    const a = await caller();
    for (let i = 0; i < 5; i++) expectStatus(await a.on.get('/v1/users/me'), 200);
    expect((await a.on.get('/v1/users/me')).status).toBe(429);
    for (const path of ['/healthz', '/readyz', '/metrics']) {
      for (let i = 0; i < 7; i++) {
        const res = expectStatus(await a.on.get(path), 200);
        expect(res.headers.get('ratelimit-limit')).toBeNull();
      }
    }
    const text = expectStatus(await limited.anonymous.get<string>('/metrics'), 200).text;
    const line = text.split('\n').find((l) => l.startsWith('berth_rate_limited_total{bucket="api"} '));
    expect(Number(line?.split(' ')[1])).toBeGreaterThanOrEqual(1);
  });

  it('can be switched off with BERTH_RATE_LIMIT_ENABLED=false', async () => {
    const a = await newUser(setup);
    for (let i = 0; i < 8; i++) {
      const res = expectStatus(await a.client.get('/v1/users/me'), 200);
      expect(res.headers.get('ratelimit-limit')).toBeNull();
    }
  });
});
