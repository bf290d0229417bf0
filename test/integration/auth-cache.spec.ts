// The authentication cache never serves a change late (#15, docs/security.md): two Berth instances
// share one database; every change is made through one, and the very next request on the other —
// whose cache holds the caller — already sees it. Expiry is never served from the cache. A write
// that changed access does not answer before every replica with a live lease has applied it.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from '../support/database.js';
import { joinTeam, newMember, newTeam, newUser } from '../support/factories.js';
import { expectStatus, HttpClient } from '../support/http.js';
import { eventually } from '../support/sandbox.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

let one: TestApp;
let other: TestApp;

beforeAll(async () => {
  const env = { BERTH_RATE_LIMIT_ENABLED: 'false', BERTH_WORKERS_ENABLED: 'false' };
  one = await createTestApp({ env });
  other = await createTestApp({ databaseUrl: one.databaseUrl, env });
});

afterAll(async () => {
  await other.close();
  await one.close();
});

/** `token` on replica `app`, twice: the second answer comes from the cache. */
async function warm(app: TestApp, token: string, path = '/v1/users/me'): Promise<HttpClient> {
  const client = new HttpClient(app.url, token);
  expectStatus(await client.get(path), 200);
  expectStatus(await client.get(path), 200);
  return client;
}

async function tokenIdOf(userId: string): Promise<string> {
  const [row] = await sql<{ id: string }>(one.databaseUrl, 'SELECT id FROM api_tokens WHERE user_id = $1', [userId]);
  return row!.id;
}

describe('authentication cache across replicas', () => {
  it('a token revoked on one replica is refused by the very next request on the other', async () => {
    const user = await newUser(one);
    const onOther = await warm(other, user.token);
    expectStatus(await new HttpClient(one.url, user.token).delete(`/v1/tokens/${await tokenIdOf(user.id)}`), 204);
    const res = await onOther.get('/v1/users/me');
    expect(res.status).toBe(401);
    expect(String((res.body as { detail?: string }).detail)).toMatch(/revoked/);
  });

  it('a lowered team role holds on the other replica at once', async () => {
    const team = await newTeam(one);
    const member = await newMember(one, team, 'developer');
    const onOther = await warm(other, member.token, `/v1/teams/${team.name}`);
    expectStatus(await team.owner.client.patch(`/v1/teams/${team.name}/members/${member.id}`, { role: 'viewer' }), 200);
    const res = await onOther.post('/v1/apps', { name: `app-${Date.now()}`, team: team.name });
    expect(res.status).toBe(403);
  });

  it('a removed membership holds on the other replica at once (the team no longer exists for the caller)', async () => {
    const team = await newTeam(one);
    const member = await newMember(one, team, 'viewer');
    const onOther = await warm(other, member.token, `/v1/teams/${team.name}`);
    expectStatus(await team.owner.client.delete(`/v1/teams/${team.name}/members/${member.id}`), 204);
    expect((await onOther.get(`/v1/teams/${team.name}`)).status).toBe(404);
  });

  it('a membership added on one replica is seen by the next request on the other', async () => {
    const team = await newTeam(one);
    const user = await newUser(one);
    const onOther = await warm(other, user.token);
    expect((await onOther.get(`/v1/teams/${team.name}`)).status).toBe(404);
    await joinTeam(team, user, 'viewer');
    expectStatus(await onOther.get(`/v1/teams/${team.name}`), 200);
  });

  it('a cached token is refused from the moment it expires', async () => {
    const user = await newUser(one);
    const tokenId = await tokenIdOf(user.id);
    const [row] = await sql<{ expires_at: Date }>(one.databaseUrl, "UPDATE api_tokens SET expires_at = now() + interval '1500 milliseconds' WHERE id = $1 RETURNING expires_at", [tokenId]);
    const onOther = await warm(other, user.token);
    // Waiting for the clock to pass the expiry (no race: nothing else is awaited).
    while (Date.now() <= row!.expires_at.getTime() + 5) await new Promise((r) => setTimeout(r, 50));
    const res = await onOther.get('/v1/users/me');
    expect(res.status).toBe(401);
    expect(String((res.body as { detail?: string }).detail)).toMatch(/expired/);
  });

  it('a write that changed access answers only once every replica with a live lease has applied it', async () => {
    const user = await newUser(one);
    const tokenId = await tokenIdOf(user.id);
    // A replica that has applied nothing yet, with a lease that runs for a minute.
    const laggard = '00000000-0000-4000-8000-00000000000f';
    await sql(one.databaseUrl, "INSERT INTO auth_cache_replicas (id, applied, lease_until) VALUES ($1, 0, now() + interval '1 minute')", [laggard]);
    try {
      let answered = false;
      const revoke = new HttpClient(one.url, user.token).delete(`/v1/tokens/${tokenId}`).then((res) => ((answered = true), res));
      // The revocation commits, then waits for the laggard.
      for (let i = 0; i < 100; i++) {
        const [token] = await sql<{ revoked_at: Date | null }>(one.databaseUrl, 'SELECT revoked_at FROM api_tokens WHERE id = $1', [tokenId]);
        if (token?.revoked_at) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      await new Promise((r) => setTimeout(r, 200));
      expect(answered).toBe(false);
      await sql(one.databaseUrl, 'UPDATE auth_cache_replicas SET applied = (SELECT version FROM access_version) WHERE id = $1', [laggard]);
      expectStatus(await revoke, 204);
    } finally {
      await sql(one.databaseUrl, 'DELETE FROM auth_cache_replicas WHERE id = $1', [laggard]);
    }
  });

  it('a replica that loses its notification connection stops serving from its cache', async () => {
    const user = await newUser(one);
    const tokenId = await tokenIdOf(user.id);
    const onOther = await warm(other, user.token);
    await sql(one.databaseUrl, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'berth-auth-cache'");
    // Revoked with triggers off: no notification and no version, so only the lost connection can
    // have emptied the cache (a record may otherwise live 30 s).
    await sql(one.databaseUrl, `SET session_replication_role = replica; UPDATE api_tokens SET revoked_at = now() WHERE id = '${tokenId}'`);
    await eventually(async () => ((await onOther.get('/v1/users/me')).status === 401 ? true : undefined), 'the revoked token to be refused', 50, 100);
  });
});
