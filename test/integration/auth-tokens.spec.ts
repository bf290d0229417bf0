import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from '../support/database.js';
import { newUser } from '../support/factories.js';
import { expectStatus, HttpClient } from '../support/http.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

describe('authentication and API tokens', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(async () => {
    await app.close();
  });

  it('refuses requests without a token, with a malformed one, or an unknown one (401 problem)', async () => {
    for (const authorization of [undefined, 'Basic abc', 'Bearer not-a-berth-token', 'Bearer berth_unknownunknownunknownunknown']) {
      const res = await app.anonymous.get('/v1/apps', { headers: authorization ? { authorization } : {} });
      expect(res.status).toBe(401);
      expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
      expect(res.headers.get('www-authenticate')).toMatch(/Bearer/);
      expect(res.body).toMatchObject({ code: 'unauthenticated', status: 401 });
    }
  });

  it('creates a random berth_ token, shows it once and stores only its hash', async () => {
    const user = await newUser(app);
    const created = expectStatus(await user.client.post<{ id: string; token: string; prefix: string }>('/v1/tokens', { description: 'ci' }), 201).body;
    expect(created.token).toMatch(/^berth_[A-Za-z0-9_-]{43}$/);
    expect(created.token.startsWith(created.prefix)).toBe(true);
    const listed = expectStatus(await user.client.get<{ items: Array<Record<string, unknown>> }>('/v1/tokens'), 200).body;
    expect(JSON.stringify(listed)).not.toContain(created.token);
    const rows = await sql<{ hash: string }>(app.databaseUrl, 'SELECT hash FROM api_tokens WHERE id = $1', [created.id]);
    expect(rows[0]!.hash).toMatch(/^[0-9a-f]{64}$/);
    const dump = await sql(app.databaseUrl, 'SELECT * FROM api_tokens');
    expect(JSON.stringify(dump)).not.toContain(created.token);
    expectStatus(await new HttpClient(app.url, created.token).get('/v1/users/me'), 200);
  });

  it('records the last-used time of a token', async () => {
    const user = await newUser(app);
    const created = expectStatus(await user.client.post<{ id: string; token: string }>('/v1/tokens', {}), 201).body;
    expect((await user.client.get<{ last_used_at: string | null }>(`/v1/tokens/${created.id}`)).body.last_used_at).toBeNull();
    expectStatus(await new HttpClient(app.url, created.token).get('/v1/users/me'), 200);
    let lastUsed: string | null = null;
    for (let i = 0; i < 50 && !lastUsed; i += 1) {
      lastUsed = (await user.client.get<{ last_used_at: string | null }>(`/v1/tokens/${created.id}`)).body.last_used_at;
      if (!lastUsed) await new Promise((r) => setTimeout(r, 20));
    }
    expect(lastUsed).not.toBeNull();
  });

  it('stops accepting a revoked token at once', async () => {
    const user = await newUser(app);
    const created = expectStatus(await user.client.post<{ id: string; token: string }>('/v1/tokens', {}), 201).body;
    const client = new HttpClient(app.url, created.token);
    expectStatus(await client.get('/v1/users/me'), 200);
    const revoked = expectStatus(await user.client.delete(`/v1/tokens/${created.id}`), 204);
    expect(revoked.text).toBe('');
    expect(expectStatus(await user.client.get<{ revoked_at: string | null }>(`/v1/tokens/${created.id}`), 200).body.revoked_at).not.toBeNull();
    // Revoking again changes nothing and answers the same.
    expectStatus(await user.client.delete(`/v1/tokens/${created.id}`), 204);
    // The 204 carries no body; the audit event still names the revoked token (in its change).
    const events = expectStatus(await app.admin.get<{ items: Array<{ change: { after?: { id?: string } } | null }> }>(`/v1/audit-events?action=token.revoke&actor=${user.id}`), 200).body.items;
    expect(events.map((e) => e.change?.after?.id)).toEqual([created.id]);
    expect((await client.get('/v1/users/me')).status).toBe(401);
  });

  it('refuses an expired token', async () => {
    const user = await newUser(app);
    const created = expectStatus(await user.client.post<{ id: string; token: string }>('/v1/tokens', { expires_in: 60 }), 201).body;
    const client = new HttpClient(app.url, created.token);
    // Expiry writes nothing (no notification): the token, cached by its first use, must be refused
    // from the moment the clock passes its expiry.
    const [row] = await sql<{ expires_at: Date }>(app.databaseUrl, "UPDATE api_tokens SET expires_at = now() + interval '1 second' WHERE id = $1 RETURNING expires_at", [created.id]);
    expectStatus(await client.get('/v1/users/me'), 200);
    while (Date.now() <= row!.expires_at.getTime() + 5) await new Promise((r) => setTimeout(r, 50));
    const res = await client.get('/v1/users/me');
    expect(res.status).toBe(401);
    expect(String((res.body as { detail: string }).detail)).toMatch(/expired/);
  });

  it('hides other users\' tokens and lets only platform admins mint tokens for others', async () => {
    const alice = await newUser(app);
    const bob = await newUser(app);
    const aliceToken = expectStatus(await alice.client.post<{ id: string }>('/v1/tokens', {}), 201).body;
    expect((await bob.client.get(`/v1/tokens/${aliceToken.id}`)).status).toBe(404);
    expect((await bob.client.delete(`/v1/tokens/${aliceToken.id}`)).status).toBe(404);
    const mint = await bob.client.post('/v1/tokens', { user_id: alice.id });
    expect(mint.status).toBe(403);
    expectStatus(await app.admin.post('/v1/tokens', { user_id: alice.id }), 201);
  });

  it('validates token input', async () => {
    const user = await newUser(app);
    const res = await user.client.post('/v1/tokens', { expires_in: 5 });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ field: 'expires_in' });
  });
});
