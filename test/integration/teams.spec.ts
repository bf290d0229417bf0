import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { joinTeam, newApp, newMember, newTeam, newUser } from '../support/factories.js';
import { expectStatus } from '../support/http.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

describe('teams and members', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(async () => {
    await app.close();
  });

  it('makes the creator the owner and shows the role', async () => {
    const owner = await newUser(app);
    const team = expectStatus(await owner.client.post<{ role: string; display_name: string }>('/v1/teams', { name: 'platform-core', display_name: 'Platform Core' }), 201).body;
    expect(team).toMatchObject({ role: 'owner', display_name: 'Platform Core' });
    const me = expectStatus(await owner.client.get<{ teams: Array<{ team_name: string; role: string }> }>('/v1/users/me'), 200).body;
    expect(me.teams).toEqual([expect.objectContaining({ team_name: 'platform-core', role: 'owner' })]);
  });

  it('answers 404 to non-members for the team and its members', async () => {
    const team = await newTeam(app);
    const stranger = await newUser(app);
    expect((await stranger.client.get(`/v1/teams/${team.name}`)).status).toBe(404);
    expect((await stranger.client.get(`/v1/teams/${team.name}/members`)).status).toBe(404);
    expect((await stranger.client.post(`/v1/teams/${team.name}/members`, { email: stranger.email, role: 'owner' })).status).toBe(404);
  });

  it('lets admins add developers and viewers, but only owners add admins or owners', async () => {
    const team = await newTeam(app);
    const admin = await newMember(app, team, 'admin');
    const dev = await newUser(app);
    // Adding is an invitation the user accepts (issue #12: the answer no longer reveals accounts).
    await joinTeam(team, dev, 'developer', admin.client);
    const other = await newUser(app);
    const res = await admin.client.post(`/v1/teams/${team.name}/members`, { email: other.email, role: 'owner' });
    expect(res.status).toBe(403);
    const devAdds = await dev.client.post(`/v1/teams/${team.name}/members`, { email: other.email, role: 'viewer' });
    expect(devAdds.status).toBe(403);
  });

  it('changes roles and keeps at least one owner', async () => {
    const team = await newTeam(app);
    const dev = await newMember(app, team, 'developer');
    const changed = expectStatus(await team.owner.client.patch<{ role: string }>(`/v1/teams/${team.name}/members/${dev.id}`, { role: 'admin' }), 200).body;
    expect(changed.role).toBe('admin');
    const demote = await team.owner.client.patch(`/v1/teams/${team.name}/members/${team.owner.email}`, { role: 'developer' });
    expect(demote.status).toBe(409);
    const leave = await team.owner.client.delete(`/v1/teams/${team.name}/members/${team.owner.id}`);
    expect(leave.status).toBe(409);
  });

  it('rejects an unknown role and names the field', async () => {
    const team = await newTeam(app);
    const user = await newUser(app);
    const res = await team.owner.client.post(`/v1/teams/${team.name}/members`, { email: user.email, role: 'superuser' });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ field: 'role' });
  });

  it('lets members leave, and refuses duplicate membership', async () => {
    const team = await newTeam(app);
    const viewer = await newMember(app, team, 'viewer');
    const again = await team.owner.client.post(`/v1/teams/${team.name}/members`, { email: viewer.email, role: 'viewer' });
    expect(again.status).toBe(409);
    expectStatus(await viewer.client.delete(`/v1/teams/${team.name}/members/${viewer.id}`), 204);
    expect((await viewer.client.get(`/v1/teams/${team.name}`)).status).toBe(404);
  });

  it('refuses to delete a team that still has apps', async () => {
    const created = await newApp(app);
    const res = await created.team.owner.client.delete(`/v1/teams/${created.team.name}`);
    expect(res.status).toBe(409);
    expectStatus(await created.team.owner.client.delete(`/v1/apps/${created.name}`), 204);
    expectStatus(await created.team.owner.client.delete(`/v1/teams/${created.team.name}`), 204);
  });

  it('shows platform admins every team', async () => {
    const team = await newTeam(app);
    expectStatus(await app.admin.get(`/v1/teams/${team.name}`), 200);
  });
});
