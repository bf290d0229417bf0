// Factories with defaults: each makes what a test needs through the public API, so tests read as
// `const team = await newTeam(app)` and never share fixtures.
import { randomBytes } from 'node:crypto';
import type { TeamRole } from '../../src/common/auth/actor.js';
import { expectStatus, HttpClient } from './http.js';
import type { TestApp } from './test-app.js';

const suffix = () => randomBytes(4).toString('hex');

export interface TestUser {
  id: string;
  email: string;
  token: string;
  client: HttpClient;
}

export interface TestTeam {
  id: string;
  name: string;
  owner: TestUser;
}

export interface TestApp_ {
  id: string;
  name: string;
  team: TestTeam;
}

export async function newUser(app: TestApp, options: { platformAdmin?: boolean; email?: string } = {}): Promise<TestUser> {
  const email = options.email ?? `user-${suffix()}@example.com`;
  const user = expectStatus(await app.admin.post<{ id: string }>('/v1/users', { email, name: `User ${email}`, platform_admin: options.platformAdmin ?? false }), 201).body;
  const token = expectStatus(await app.admin.post<{ token: string }>('/v1/tokens', { user_id: user.id, description: 'test' }), 201).body.token;
  return { id: user.id, email, token, client: new HttpClient(app.url, token) };
}

export async function newTeam(app: TestApp, options: { owner?: TestUser; name?: string } = {}): Promise<TestTeam> {
  const owner = options.owner ?? (await newUser(app));
  const name = options.name ?? `team-${suffix()}`;
  const team = expectStatus(await owner.client.post<{ id: string; name: string }>('/v1/teams', { name }), 201).body;
  return { id: team.id, name: team.name, owner };
}

/** A user holding `role` on `team`. */
export async function newMember(app: TestApp, team: TestTeam, role: TeamRole): Promise<TestUser> {
  const user = await newUser(app);
  await joinTeam(team, user, role);
  return user;
}

/** Membership by e-mail is an invitation the user accepts (issue #12): the owner invites, the user accepts. */
export async function joinTeam(team: TestTeam, user: TestUser, role: TeamRole, inviter: HttpClient = team.owner.client): Promise<void> {
  const invitation = expectStatus(await inviter.post<{ id: string }>(`/v1/teams/${team.name}/members`, { email: user.email, role }), 201).body;
  expectStatus(await user.client.post(`/v1/invitations/${invitation.id}/accept`), 201);
}

export async function newApp(app: TestApp, options: { team?: TestTeam; name?: string } = {}): Promise<TestApp_> {
  const team = options.team ?? (await newTeam(app));
  const name = options.name ?? `app-${suffix()}`;
  const created = expectStatus(await team.owner.client.post<{ id: string; name: string }>('/v1/apps', { name, team: team.name }), 201).body;
  return { id: created.id, name: created.name, team };
}

export interface TestEnvironment {
  id: string;
  name: string;
  app: TestApp_;
  path: string;
}

/**
 * `progressDeadlineSeconds`: the test sandboxes scale time by 0.002, so the default 300 s deadline is
 * 0.6 s of wall clock, which a loaded CI machine can spend on one stalled event loop. Specs that need a
 * deploy to succeed (not to test the deadline) pass 3600 (7.2 s).
 */
export async function newEnvironment(app: TestApp, options: { app?: TestApp_; name?: string; production?: boolean; progressDeadlineSeconds?: number } = {}): Promise<TestEnvironment> {
  const parent = options.app ?? (await newApp(app));
  const name = options.name ?? 'staging';
  const body = { name, ...(options.production !== undefined ? { production: options.production } : {}), ...(options.progressDeadlineSeconds !== undefined ? { progress_deadline_seconds: options.progressDeadlineSeconds } : {}) };
  const created = expectStatus(await parent.team.owner.client.post<{ id: string; name: string }>(`/v1/apps/${parent.name}/environments`, body), 201).body;
  return { id: created.id, name: created.name, app: parent, path: `/v1/apps/${parent.name}/environments/${created.name}` };
}
