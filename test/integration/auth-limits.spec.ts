// Failed authentication is bounded per source address (#12 item 6): after a burst of failures the
// address gets 429 with Retry-After, and an anonymous caller cannot grow the audit log without
// bound (one event at once, then one aggregated event per address and window, with a count).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { sql } from '../support/database.js';
import { expectStatus } from '../support/http.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { FailedAuthentication } from '../../src/modules/auth/failed-authentication.service.js';
import { gql } from './graphql-client.js';

/** BERTH_AUTH_FAILURE_BURST's default. */
const BURST = 20;

const badToken = () => `berth_${randomBytes(24).toString('base64url')}`;

async function denialEvents(app: TestApp): Promise<Array<{ action: string; change: Record<string, unknown> }>> {
  return sql(app.databaseUrl, `SELECT action, change FROM audit_events WHERE action IN ('access.denied', 'auth.failed') AND source_ip = '127.0.0.1' ORDER BY seq`);
}

describe('failed authentication', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(async () => {
    await app.close();
  });

  it('200 random bad tokens: 401s up to the burst, then 429 with Retry-After; a bounded number of audit events', async () => {
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 200; i++) {
      // X-Forwarded-For is not trusted by default: rotating it does not give a fresh source.
      const res = await app.anonymous.get('/v1/users/me', { headers: { authorization: `Bearer ${badToken()}`, 'x-forwarded-for': `198.51.100.${i % 250}` } });
      statuses.push(res.status);
      if (res.status === 429) {
        retryAfter ??= res.headers.get('retry-after');
        expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
        expect(res.body).toMatchObject({ code: 'rate-limited', bucket: 'auth-failures' });
      }
    }
    expect(statuses.filter((s) => s === 401)).toHaveLength(BURST);
    expect(statuses.filter((s) => s === 429)).toHaveLength(200 - BURST);
    expect(Number(retryAfter)).toBeGreaterThan(0);

    // A valid token from the refused address waits too (otherwise guessing goes on between tries).
    expect((await app.admin.get('/v1/users/me')).status).toBe(429);
    // GraphQL is refused whole for that source.
    expect((await gql(app.url, badToken(), '{ me { email } }')).status).toBe(429);

    const before = await denialEvents(app);
    expect(before).toHaveLength(1); // the first failure, at once
    await app.server.app.get(FailedAuthentication).flush();
    const after = await denialEvents(app);
    expect(after).toHaveLength(2);
    // Every failure after the first: 199 REST, the refused valid token, the GraphQL request.
    expect(after[1]).toMatchObject({ action: 'auth.failed', change: expect.objectContaining({ count: 201 }) });
  });
});

describe('BERTH_TRUST_PROXY', () => {
  it('takes the source from X-Forwarded-For only when set, and only the entry the nearest proxy added', async () => {
    const app = await createTestApp({ env: { BERTH_TRUST_PROXY: 'true' } });
    try {
      for (let i = 0; i < BURST + 5; i++) {
        const res = await app.anonymous.get('/v1/users/me', { headers: { authorization: `Bearer ${badToken()}`, 'x-forwarded-for': `198.51.100.${i}` } });
        expect(res.status).toBe(401);
      }
      expectStatus(await app.admin.get('/v1/users/me'), 200);
      // A client writing its own X-Forwarded-For before the proxy's entry does not change its address.
      const statuses: number[] = [];
      for (let i = 0; i < BURST + 5; i++) {
        const res = await app.anonymous.get('/v1/users/me', { headers: { authorization: `Bearer ${badToken()}`, 'x-forwarded-for': `10.9.9.${i}, 203.0.113.7` } });
        statuses.push(res.status);
      }
      expect(statuses.filter((s) => s === 429)).toHaveLength(5);
    } finally {
      await app.close();
    }
  });
});
