import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from '../support/database.js';
import { newTeam, newUser, joinTeam } from '../support/factories.js';
import { expectStatus } from '../support/http.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

describe('Idempotency-Key', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(async () => {
    await app.close();
  });

  const count = async (name: string) => Number((await sql<{ n: string }>(app.databaseUrl, 'SELECT count(*)::text AS n FROM apps WHERE name = $1', [name]))[0]!.n);

  it('replays the first answer for the same key and body, creating nothing new', async () => {
    const team = await newTeam(app);
    const body = { name: 'idem-once', team: team.name };
    const headers = { 'idempotency-key': 'create-idem-once' };
    const first = expectStatus(await team.owner.client.post('/v1/apps', body, { headers }), 201);
    const second = expectStatus(await team.owner.client.post('/v1/apps', body, { headers }), 201);
    expect(second.body).toEqual(first.body);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(await count('idem-once')).toBe(1);
    const events = await sql(app.databaseUrl, `SELECT 1 FROM audit_events WHERE action = 'app.create' AND idempotency_key = 'create-idem-once'`);
    expect(events).toHaveLength(1);
  });

  it('refuses the same key with a different body (422) and changes nothing', async () => {
    const team = await newTeam(app);
    const headers = { 'idempotency-key': 'k-diff' };
    expectStatus(await team.owner.client.post('/v1/apps', { name: 'idem-a', team: team.name }, { headers }), 201);
    const res = await team.owner.client.post('/v1/apps', { name: 'idem-b', team: team.name }, { headers });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ code: 'idempotency-key-reused' });
    expect(await count('idem-b')).toBe(0);
  });

  it('creates exactly one object under 20 parallel retries; the others replay or get 409', async () => {
    const team = await newTeam(app);
    const body = { name: 'idem-race', team: team.name };
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => team.owner.client.post<{ id?: string; code?: string }>('/v1/apps', body, { headers: { 'idempotency-key': 'race-key' } })),
    );
    expect(await count('idem-race')).toBe(1);
    const created = answers.filter((a) => a.status === 201);
    const inFlight = answers.filter((a) => a.status === 409);
    expect(created.length + inFlight.length).toBe(20);
    expect(created.length).toBeGreaterThanOrEqual(1);
    expect(new Set(created.map((a) => a.body.id)).size).toBe(1);
    expect(inFlight.every((a) => a.body.code === 'idempotency-key-in-use')).toBe(true);
    // Once the first has committed, every retry replays it.
    const after = expectStatus(await team.owner.client.post<{ id: string }>('/v1/apps', body, { headers: { 'idempotency-key': 'race-key' } }), 201);
    expect(after.body.id).toBe(created[0]!.body.id);
  });

  it('scopes keys to the caller', async () => {
    const team = await newTeam(app);
    const other = await newUser(app);
    await joinTeam(team, other, 'developer');
    const headers = { 'idempotency-key': 'shared-key' };
    expectStatus(await team.owner.client.post('/v1/apps', { name: 'idem-alice', team: team.name }, { headers }), 201);
    expectStatus(await other.client.post('/v1/apps', { name: 'idem-bob', team: team.name }, { headers }), 201);
    expect(await count('idem-bob')).toBe(1);
  });

  it('does not store failures: a retry after an error runs again', async () => {
    const team = await newTeam(app);
    const headers = { 'idempotency-key': 'after-error' };
    const bad = await team.owner.client.post('/v1/apps', { name: 'idem-retry', team: 'no-such-team' }, { headers });
    expect(bad.status).toBe(404);
    expectStatus(await team.owner.client.post('/v1/apps', { name: 'idem-retry', team: team.name }, { headers }), 201);
  });

  it('keeps answers for at least 24 hours', async () => {
    const team = await newTeam(app);
    expectStatus(await team.owner.client.post('/v1/apps', { name: 'idem-ttl', team: team.name }, { headers: { 'idempotency-key': 'ttl-key' } }), 201);
    const [row] = await sql<{ hours: number }>(app.databaseUrl, `SELECT extract(epoch FROM expires_at - created_at) / 3600 AS hours FROM idempotency_records WHERE key = 'ttl-key'`);
    expect(Number(row!.hours)).toBeGreaterThanOrEqual(24);
  });

  it('rejects malformed keys', async () => {
    const team = await newTeam(app);
    const res = await team.owner.client.post('/v1/apps', { name: 'idem-bad-key', team: team.name }, { headers: { 'idempotency-key': 'x'.repeat(300) } });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ field: 'Idempotency-Key' });
  });
});
