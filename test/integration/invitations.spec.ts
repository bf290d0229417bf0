// Membership by e-mail does not reveal who has an account (issue #12, item 8): a team admin's
// "add member" is an invitation, answered the same way for any address; the invited user accepts.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from '../support/database.js';
import { newMember, newTeam, newUser } from '../support/factories.js';
import { expectStatus, HttpClient } from '../support/http.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { gqlData } from './graphql-client.js';

interface Invitation {
  id: string;
  team_id: string;
  email: string;
  role: string;
  state: string;
  created_at: string;
  expires_at: string;
}
const rand = () => Math.random().toString(36).slice(2, 8);

describe('invitations', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(async () => {
    await app.close();
  });

  /** The answer with what legitimately differs between two invitations (ids, address, times) blanked. */
  const shape = (body: Record<string, unknown>) => ({ ...body, id: 'ID', email: 'EMAIL', created_at: 'T', expires_at: 'T', createdAt: 'T', expiresAt: 'T' });

  it('answers a team admin the same whether or not the address has an account (REST and GraphQL)', async () => {
    const team = await newTeam(app);
    const admin = await newMember(app, team, 'admin');
    const existing = await newUser(app);
    const admins = await newUser(app, { platformAdmin: true });
    const answers = [];
    for (const email of [existing.email, `nobody-${rand()}@example.com`, admins.email]) {
      const res = await admin.client.post<Record<string, unknown>>(`/v1/teams/${team.name}/members`, { email, role: 'developer' });
      expect(res.status).toBe(201);
      answers.push(shape(res.body));
    }
    expect(answers[1]).toEqual(answers[0]);
    expect(answers[2]).toEqual(answers[0]);
    expect(answers[0]).toMatchObject({ role: 'developer', state: 'pending', team_id: team.id });
    const query = 'mutation($t: String!, $e: String!) { addMember(input: { team: $t, email: $e, role: VIEWER }) { invitation { id teamId teamName email role state createdAt expiresAt } } }';
    const viaGql = await Promise.all([`x-${rand()}@example.com`, (await newUser(app)).email].map(async (e) => shape((await gqlData<{ addMember: { invitation: Record<string, unknown> } }>(app.url, admin.token, query, { t: team.name, e })).addMember.invitation)));
    expect(viaGql[1]).toEqual(viaGql[0]);
  });

  it('lists pending invitations; only the invited user sees and accepts one, and then is a member', async () => {
    const team = await newTeam(app);
    const invitee = await newUser(app);
    const bystander = await newUser(app);
    const invitation = expectStatus(await team.owner.client.post<Invitation>(`/v1/teams/${team.name}/members`, { email: invitee.email.toUpperCase(), role: 'developer' }), 201).body;
    expect(invitation.email).toBe(invitee.email);
    const listed = expectStatus(await team.owner.client.get<{ items: Invitation[] }>(`/v1/teams/${team.name}/invitations`), 200).body.items;
    expect(listed.map((i) => i.id)).toEqual([invitation.id]);
    expect(expectStatus(await bystander.client.get<Invitation[]>('/v1/invitations'), 200).body).toEqual([]);
    expect((await bystander.client.post(`/v1/invitations/${invitation.id}/accept`)).status).toBe(404);
    expect((await bystander.client.delete(`/v1/invitations/${invitation.id}`)).status).toBe(404);
    expect(expectStatus(await invitee.client.get<Invitation[]>('/v1/invitations'), 200).body.map((i) => i.id)).toEqual([invitation.id]);
    expect((await invitee.client.get(`/v1/teams/${team.name}`)).status).toBe(404);
    const member = expectStatus(await invitee.client.post<{ user_id: string; role: string }>(`/v1/invitations/${invitation.id}/accept`), 201).body;
    expect(member).toMatchObject({ user_id: invitee.id, role: 'developer' });
    expectStatus(await invitee.client.get(`/v1/teams/${team.name}`), 200);
    expect(expectStatus(await team.owner.client.get<{ items: Invitation[] }>(`/v1/teams/${team.name}/invitations`), 200).body.items).toEqual([]);
    expect((await team.owner.client.post(`/v1/teams/${team.name}/members`, { email: invitee.email, role: 'viewer' })).status).toBe(409);
  });

  it('binds to a user a platform admin creates later', async () => {
    const team = await newTeam(app);
    const email = `later-${rand()}@example.com`;
    const invitation = expectStatus(await team.owner.client.post<Invitation>(`/v1/teams/${team.name}/members`, { email, role: 'viewer' }), 201).body;
    const user = expectStatus(await app.admin.post<{ id: string }>('/v1/users', { email, name: 'Later' }), 201).body;
    const token = expectStatus(await app.admin.post<{ token: string }>('/v1/tokens', { user_id: user.id }), 201).body.token;
    const later = new HttpClient(app.url, token);
    expect(expectStatus(await later.get<Invitation[]>('/v1/invitations'), 200).body).toEqual([expect.objectContaining({ id: invitation.id, team_id: team.id, state: 'pending' })]);
    const accepted = await gqlData<{ acceptInvitation: { member: { role: string } } }>(app.url, token, 'mutation($i: String!) { acceptInvitation(input: { invitation: $i }) { member { role } } }', { i: invitation.id });
    expect(accepted.acceptInvitation.member.role).toBe('VIEWER');
    expectStatus(await later.get(`/v1/teams/${team.name}`), 200);
  });

  it('can be revoked by admins (owner-level invitations only by owners) and declined by the invitee', async () => {
    const team = await newTeam(app);
    const admin = await newMember(app, team, 'admin');
    const invitee = await newUser(app);
    const forOwner = expectStatus(await team.owner.client.post<Invitation>(`/v1/teams/${team.name}/members`, { email: `o-${rand()}@example.com`, role: 'owner' }), 201).body;
    expect((await admin.client.delete(`/v1/teams/${team.name}/invitations/${forOwner.id}`)).status).toBe(403);
    const invitation = expectStatus(await admin.client.post<Invitation>(`/v1/teams/${team.name}/members`, { email: invitee.email, role: 'viewer' }), 201).body;
    expect((await admin.client.delete(`/v1/teams/${(await newTeam(app)).name}/invitations/${invitation.id}`)).status).toBe(404);
    expectStatus(await admin.client.delete(`/v1/teams/${team.name}/invitations/${invitation.id}`), 204);
    expect((await invitee.client.post(`/v1/invitations/${invitation.id}/accept`)).status).toBe(404);
    const again = expectStatus(await admin.client.post<Invitation>(`/v1/teams/${team.name}/members`, { email: invitee.email, role: 'viewer' }), 201).body;
    expectStatus(await invitee.client.delete(`/v1/invitations/${again.id}`), 204);
    expect(expectStatus(await admin.client.get<{ items: Invitation[] }>(`/v1/teams/${team.name}/invitations`), 200).body.items.map((i) => i.id)).toEqual([forOwner.id]);
  });

  it('expires: shown as expired, not accepted, renewed by inviting again', async () => {
    const team = await newTeam(app);
    const invitee = await newUser(app);
    const invitation = expectStatus(await team.owner.client.post<Invitation>(`/v1/teams/${team.name}/members`, { email: invitee.email, role: 'viewer' }), 201).body;
    await sql(app.databaseUrl, `UPDATE invitations SET expires_at = now() - interval '1 minute' WHERE id = $1`, [invitation.id]);
    expect(expectStatus(await invitee.client.get<Invitation[]>('/v1/invitations'), 200).body[0]?.state).toBe('expired');
    const refused = await invitee.client.post<{ detail: string }>(`/v1/invitations/${invitation.id}/accept`);
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toMatch(/expired/);
    const renewed = expectStatus(await team.owner.client.post<Invitation>(`/v1/teams/${team.name}/members`, { email: invitee.email, role: 'viewer' }), 201).body;
    expect(renewed).toMatchObject({ id: invitation.id, state: 'pending' });
    expectStatus(await invitee.client.post(`/v1/invitations/${invitation.id}/accept`), 201);
  });
});
