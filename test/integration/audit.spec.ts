import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from '../support/database.js';
import { newApp, newMember, newTeam } from '../support/factories.js';
import { expectStatus } from '../support/http.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

interface Event {
  seq: string;
  action: string;
  outcome: string;
  team_id: string | null;
  actor: { type: string; id: string | null; name: string | null };
  target: { type: string | null; id: string | null; name: string | null };
  request_id: string | null;
  idempotency_key: string | null;
  source_ip: string | null;
  user_agent: string | null;
  change: { before?: unknown; after?: unknown } | null;
}
interface Verify {
  valid: boolean;
  checked: number;
  problem: { kind: string; seq: string } | null;
}

/** As an attacker with database superuser rights would: triggers off, then edit history. */
async function tamper(url: string, statements: string[]): Promise<void> {
  await sql(url, `BEGIN; SET LOCAL session_replication_role = replica; ${statements.join('; ')}; COMMIT`);
}

describe('audit log', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(async () => {
    await app.close();
  });

  const eventsFor = async (requestId: string) =>
    expectStatus(await app.admin.get<{ items: Event[] }>(`/v1/audit-events?limit=100`), 200).body.items.filter((e) => e.request_id === requestId);

  it('writes exactly one event per committed mutation, with who, what, where and the change', async () => {
    const team = await newTeam(app);
    const res = await team.owner.client.post<{ id: string }>('/v1/apps', { name: 'audited-app', team: team.name }, { headers: { 'x-request-id': 'req-audit-1', 'user-agent': 'portal/1.0', 'idempotency-key': 'k-1' } });
    expectStatus(res, 201);
    const events = await eventsFor('req-audit-1');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      action: 'app.create',
      outcome: 'success',
      team_id: team.id,
      actor: { type: 'user', id: team.owner.id, name: team.owner.email },
      target: { type: 'app', id: res.body.id, name: 'audited-app' },
      idempotency_key: 'k-1',
      user_agent: 'portal/1.0',
    });
    expect(events[0]!.source_ip).toBeTruthy();
    const patch = await team.owner.client.patch('/v1/apps/audited-app', { description: 'new' }, { headers: { 'x-request-id': 'req-audit-2' } });
    expectStatus(patch, 200);
    expect((await eventsFor('req-audit-2'))[0]!.change).toEqual({ before: { description: '' }, after: { description: 'new' } });
  });

  it('leaves no event for a request that rolls back', async () => {
    const existing = await newApp(app);
    const res = await existing.team.owner.client.post('/v1/apps', { name: existing.name, team: existing.team.name }, { headers: { 'x-request-id': 'req-rollback' } });
    expect(res.status).toBe(409);
    expect(await eventsFor('req-rollback')).toHaveLength(0);
  });

  it('fails the request, and changes nothing, when the audit insert fails', async () => {
    const team = await newTeam(app);
    await sql(app.databaseUrl, `ALTER TABLE audit_events ADD CONSTRAINT refuse_app_create CHECK (action <> 'app.create') NOT VALID`);
    try {
      const res = await team.owner.client.post('/v1/apps', { name: 'never-created', team: team.name });
      expect(res.status).toBe(500);
      expect(await sql(app.databaseUrl, `SELECT 1 FROM apps WHERE name = 'never-created'`)).toHaveLength(0);
    } finally {
      await sql(app.databaseUrl, 'ALTER TABLE audit_events DROP CONSTRAINT refuse_app_create');
    }
  });

  it('audits denied requests: 401, 403 and 404 by authorization', async () => {
    const target = await newApp(app);
    const viewer = await newMember(app, target.team, 'viewer');
    const outsider = await newTeam(app);
    await app.anonymous.get('/v1/apps', { headers: { 'x-request-id': 'deny-401' } });
    await viewer.client.patch(`/v1/apps/${target.name}`, { description: 'x' }, { headers: { 'x-request-id': 'deny-403' } });
    await outsider.owner.client.get(`/v1/apps/${target.name}`, { headers: { 'x-request-id': 'deny-404' } });
    for (const [id, status] of [['deny-401', 401], ['deny-403', 403], ['deny-404', 404]] as const) {
      const events = await eventsFor(id);
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ action: 'access.denied', outcome: 'denied', change: expect.objectContaining({ status }) });
    }
  });

  it('has gap-free sequence numbers under concurrent writes, and a valid chain', async () => {
    const team = await newTeam(app);
    await Promise.all(Array.from({ length: 15 }, (_, i) => team.owner.client.post('/v1/apps', { name: `par-${i}-${team.name}`.slice(0, 40), team: team.name })));
    const rows = await sql<{ seq: string }>(app.databaseUrl, 'SELECT seq::text AS seq FROM audit_events ORDER BY audit_events.seq');
    rows.forEach((row, i) => expect(row.seq).toBe(String(i + 1)));
    const verify = expectStatus(await app.admin.get<Verify>('/v1/audit-events/verify'), 200).body;
    expect(verify).toMatchObject({ valid: true, problem: null });
    expect(verify.checked).toBe(rows.length);
  });

  it('refuses UPDATE, DELETE and TRUNCATE on audit rows from the database role', async () => {
    await newTeam(app);
    await expect(sql(app.databaseUrl, `UPDATE audit_events SET action = 'x' WHERE seq = 1`)).rejects.toThrow(/append-only/);
    await expect(sql(app.databaseUrl, 'DELETE FROM audit_events WHERE seq = 1')).rejects.toThrow(/append-only/);
    await expect(sql(app.databaseUrl, 'TRUNCATE audit_events')).rejects.toThrow(/append-only/);
  });

  it('filters by team, action and target, paginates, and exports NDJSON', async () => {
    const created = await newApp(app);
    const list = expectStatus(await created.team.owner.client.get<{ items: Event[] }>(`/v1/audit-events?team=${created.team.name}&action=app.create`), 200).body;
    expect(list.items.map((e) => e.target.name)).toEqual([created.name]);
    const byTarget = expectStatus(await app.admin.get<{ items: Event[] }>(`/v1/audit-events?target=${created.id}`), 200).body;
    expect(byTarget.items.every((e) => e.target.id === created.id)).toBe(true);
    const prefix = expectStatus(await app.admin.get<{ items: Event[] }>(`/v1/audit-events?action=team.*&limit=2`), 200);
    expect(prefix.body.items.every((e) => e.action.startsWith('team.'))).toBe(true);
    expect(prefix.headers.get('link')).toMatch(/rel="next"/);
    const future = expectStatus(await app.admin.get<{ items: Event[] }>(`/v1/audit-events?since=${encodeURIComponent(new Date(Date.now() + 3600e3).toISOString())}`), 200).body;
    expect(future.items).toHaveLength(0);
    const ndjson = await created.team.owner.client.get(`/v1/audit-events/export?team=${created.team.name}`);
    expect(ndjson.status).toBe(200);
    expect(ndjson.headers.get('content-type')).toMatch(/application\/x-ndjson/);
    const lines = ndjson.text.trim().split('\n').map((l) => JSON.parse(l) as Event);
    expect(lines.length).toBeGreaterThanOrEqual(2);
    expect(lines.every((e) => e.team_id === created.team.id)).toBe(true);
  });

  it('shows team admins their own team only, and refuses developers', async () => {
    const mine = await newApp(app);
    const theirs = await newApp(app);
    const dev = await newMember(app, mine.team, 'developer');
    expect((await dev.client.get(`/v1/audit-events?team=${mine.team.name}`)).status).toBe(403);
    expect((await mine.team.owner.client.get(`/v1/audit-events?team=${theirs.team.name}`)).status).toBe(404);
    const own = expectStatus(await mine.team.owner.client.get<{ items: Event[] }>('/v1/audit-events?limit=100'), 200).body;
    expect(own.items.every((e) => e.team_id === mine.team.id)).toBe(true);
    expect((await dev.client.get('/v1/audit-events/verify')).status).toBe(403);
  });
});

describe('audit tamper evidence', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(async () => {
    await app.close();
  });

  /** A fresh history of `n` events, on a database of its own. */
  async function history(n: number): Promise<TestApp> {
    const fresh = await createTestApp();
    const team = await newTeam(fresh);
    while (Number((await sql<{ n: string }>(fresh.databaseUrl, 'SELECT count(*)::text AS n FROM audit_events'))[0]!.n) < n) {
      await team.owner.client.patch(`/v1/teams/${team.name}`, { display_name: `n${Math.random()}` });
    }
    return fresh;
  }
  const verify = async (a: TestApp, query = '') => expectStatus(await a.admin.get<Verify>(`/v1/audit-events/verify${query}`), 200).body;

  it('reports an edited event', async () => {
    const a = await history(6);
    try {
      await tamper(a.databaseUrl, [`UPDATE audit_events SET actor_name = 'someone-else' WHERE seq = 4`]);
      expect((await verify(a)).problem).toMatchObject({ kind: 'edited', seq: '4' });
    } finally {
      await a.close();
    }
  });

  it('reports a deleted event', async () => {
    const a = await history(6);
    try {
      await tamper(a.databaseUrl, ['DELETE FROM audit_events WHERE seq = 3']);
      expect((await verify(a)).problem).toMatchObject({ kind: 'deleted', seq: '3' });
    } finally {
      await a.close();
    }
  });

  it('reports reordered events', async () => {
    const a = await history(6);
    try {
      await tamper(a.databaseUrl, ['UPDATE audit_events SET seq = -seq WHERE seq IN (3, 4)', 'UPDATE audit_events SET seq = 4 WHERE seq = -3', 'UPDATE audit_events SET seq = 3 WHERE seq = -4']);
      const result = await verify(a);
      expect(result.valid).toBe(false);
      expect(result.problem?.seq).toBe('3');
      expect(['reordered', 'edited']).toContain(result.problem?.kind);
    } finally {
      await a.close();
    }
  });

  it('reports a truncated log, even when the head is rewound, against a signed head exported earlier', async () => {
    const a = await history(6);
    try {
      const signed = expectStatus(await a.admin.get<{ seq: string; hash: string; exported_at: string; signature: string }>('/v1/audit-events/head'), 200).body;
      const query = `?head_seq=${signed.seq}&head_hash=${signed.hash}&head_exported_at=${encodeURIComponent(signed.exported_at)}&head_signature=${encodeURIComponent(signed.signature)}`;
      expect(await verify(a, query)).toMatchObject({ valid: true });
      const cut = Number(signed.seq) - 2;
      await tamper(a.databaseUrl, [`DELETE FROM audit_events WHERE seq > ${cut}`]);
      expect((await verify(a)).problem).toMatchObject({ kind: 'truncated' });
      // A careful attacker also rewinds the head: only the exported head can tell now.
      await tamper(a.databaseUrl, [`UPDATE audit_head SET seq = ${cut}, hash = (SELECT hash FROM audit_events WHERE seq = ${cut})`]);
      expect(await verify(a)).toMatchObject({ valid: true });
      expect((await verify(a, query)).problem).toMatchObject({ kind: 'truncated' });
      const forged = query.replace(/head_signature=[^&]+/, 'head_signature=' + encodeURIComponent(Buffer.alloc(64).toString('base64')));
      expect((await a.admin.get(`/v1/audit-events/verify${forged}`)).status).toBe(422);
    } finally {
      await a.close();
    }
  });
});
