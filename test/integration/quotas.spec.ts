import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { newMember, newTeam, type TestTeam } from '../support/factories.js';
import { expectStatus } from '../support/http.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

interface Quota {
  limits: { apps: number; environments: number; cpu_millis: number; memory_mib: number; replicas_per_process: number; releases_retained: number };
  usage: { apps: number; environments: number; cpu_millis: number; memory_mib: number };
  version: number;
}

describe('team quotas', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(async () => {
    await app.close();
  });

  const getQuota = async (team: TestTeam) => {
    const res = expectStatus(await app.admin.get<Quota>(`/v1/teams/${team.name}/quota`), 200);
    return { quota: res.body, etag: res.headers.get('etag')! };
  };
  const setQuota = async (team: TestTeam, limits: Partial<Quota['limits']>) => {
    const { etag } = await getQuota(team);
    return expectStatus(await app.admin.put<Quota>(`/v1/teams/${team.name}/quota`, limits, { headers: { 'if-match': etag } }), 200).body;
  };

  it('shows limits and usage to team members, and only platform admins change limits', async () => {
    const team = await newTeam(app);
    const viewer = await newMember(app, team, 'viewer');
    const seen = expectStatus(await viewer.client.get<Quota>(`/v1/teams/${team.name}/quota`), 200);
    expect(seen.body.usage).toEqual({ apps: 0, environments: 0, cpu_millis: 0, memory_mib: 0 });
    expect(seen.headers.get('etag')).toBe(`"${seen.body.version}"`);
    const res = await team.owner.client.put(`/v1/teams/${team.name}/quota`, { apps: 100 }, { headers: { 'if-match': seen.headers.get('etag')! } });
    expect(res.status).toBe(403);
  });

  it('honours If-Match when changing a quota and refuses a stale one (412)', async () => {
    const team = await newTeam(app);
    expectStatus(await app.admin.put(`/v1/teams/${team.name}/quota`, { apps: 2 }), 200);
    const { etag } = await getQuota(team);
    expectStatus(await app.admin.put(`/v1/teams/${team.name}/quota`, { apps: 3 }, { headers: { 'if-match': etag } }), 200);
    const stale = await app.admin.put(`/v1/teams/${team.name}/quota`, { apps: 4 }, { headers: { 'if-match': etag } });
    expect(stale.status).toBe(412);
    expect((await getQuota(team)).quota.limits.apps).toBe(3);
  });

  it('lets exactly one of two concurrent updates from the same version win', async () => {
    const team = await newTeam(app);
    const { etag } = await getQuota(team);
    const [a, b] = await Promise.all([
      app.admin.put(`/v1/teams/${team.name}/quota`, { apps: 7 }, { headers: { 'if-match': etag } }),
      app.admin.put(`/v1/teams/${team.name}/quota`, { apps: 8 }, { headers: { 'if-match': etag } }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 412]);
  });

  it('refuses growth past the limit with a quota-exceeded problem naming the dimension', async () => {
    const team = await newTeam(app);
    await setQuota(team, { apps: 1 });
    expectStatus(await team.owner.client.post('/v1/apps', { name: `q1-${team.name}`.slice(0, 40), team: team.name }), 201);
    const res = await team.owner.client.post('/v1/apps', { name: `q2-${team.name}`.slice(0, 40), team: team.name });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ code: 'quota-exceeded', dimension: 'apps', limit: 1, usage: 1 });
  });

  it('never lets concurrent requests exceed the quota (randomized trials)', async () => {
    for (let trial = 0; trial < 5; trial += 1) {
      const team = await newTeam(app);
      const limit = 1 + Math.floor(Math.random() * 6);
      const attempts = limit + 1 + Math.floor(Math.random() * 15);
      await setQuota(team, { apps: limit });
      const answers = await Promise.all(
        Array.from({ length: attempts }, (_, i) => team.owner.client.post<{ code?: string; dimension?: string }>('/v1/apps', { name: `r${trial}-${i}-${team.name}`.slice(0, 40), team: team.name })),
      );
      const ok = answers.filter((a) => a.status === 201).length;
      const refused = answers.filter((a) => a.status === 422 && a.body.dimension === 'apps').length;
      expect({ ok, refused }).toEqual({ ok: limit, refused: attempts - limit });
      const { quota } = await getQuota(team);
      expect(quota.usage.apps).toBe(limit);
      expect(quota.usage.apps).toBeLessThanOrEqual(quota.limits.apps);
    }
  });

  it('lowering a quota below usage stops growth but keeps what exists, and deleting frees usage', async () => {
    const team = await newTeam(app);
    const names = [0, 1, 2].map((i) => `low${i}-${team.name}`.slice(0, 40));
    for (const name of names) expectStatus(await team.owner.client.post('/v1/apps', { name, team: team.name }), 201);
    await setQuota(team, { apps: 1 });
    expect((await team.owner.client.post('/v1/apps', { name: `low9-${team.name}`.slice(0, 40), team: team.name })).status).toBe(422);
    expectStatus(await team.owner.client.get(`/v1/apps/${names[0]}`), 200);
    expectStatus(await team.owner.client.delete(`/v1/apps/${names[0]}`), 204);
    expect((await getQuota(team)).quota.usage.apps).toBe(2);
  });

  it('stored usage equals usage recomputed from scratch after random churn', async () => {
    const team = await newTeam(app);
    await setQuota(team, { apps: 50 });
    const live: string[] = [];
    for (let i = 0; i < 30; i += 1) {
      if (live.length > 0 && Math.random() < 0.4) {
        const [name] = live.splice(Math.floor(Math.random() * live.length), 1);
        expectStatus(await team.owner.client.delete(`/v1/apps/${name}`), 204);
      } else {
        const name = `churn${i}-${team.name}`.slice(0, 40);
        expectStatus(await team.owner.client.post('/v1/apps', { name, team: team.name }), 201);
        live.push(name);
      }
    }
    const stored = (await getQuota(team)).quota.usage;
    const recomputed = expectStatus(await app.admin.post<Quota>(`/v1/teams/${team.name}/quota/recompute`), 200).body.usage;
    expect(recomputed).toEqual(stored);
    expect(stored.apps).toBe(live.length);
  });
});
