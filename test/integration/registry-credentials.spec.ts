// Team registry logins: write-only over HTTP, encrypted at rest, kept out of the audit trail, and
// turned into dockerconfigjson for the renderer by RegistryCredentialsService.pullSecretFor.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { RegistryCredentialsService } from '../../src/modules/registry-credentials/registry-credentials.service.js';
import { sql } from '../support/database.js';
import { newMember, newTeam, type TestTeam } from '../support/factories.js';
import { expectStatus } from '../support/http.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

interface Credential {
  id: string;
  registry: string;
  username: string;
  created_at: string;
  updated_at: string;
}

const PASSWORD = 'hunter2-do-not-leak';
const NEW_PASSWORD = 'correct-horse-battery';

describe('registry credentials', () => {
  let app: TestApp;
  let team: TestTeam;
  let service: RegistryCredentialsService;
  const base = () => `/v1/teams/${team.name}/registry-credentials`;

  beforeAll(async () => {
    app = await createTestApp();
    team = await newTeam(app);
    service = app.server.app.get(RegistryCredentialsService);
  });
  afterAll(async () => {
    await app.close();
  });

  it('replays an Idempotency-Key with the status the first answer really had (200 replaced, 201 created)', async () => {
    const headers = (k: string) => ({ headers: { 'idempotency-key': k } });
    const key = `replay-${Date.now()}`;
    const own = await newTeam(app);
    const base = () => `/v1/teams/${own.name}/registry-credentials`;
    const team = own;
    expectStatus(await team.owner.client.put(`${base()}/replay.example.com`, { username: 'a', password: PASSWORD }, headers(`${key}-c`)), 201);
    expectStatus(await team.owner.client.put(`${base()}/replay.example.com`, { username: 'a', password: PASSWORD }, headers(`${key}-c`)), 201);
    expectStatus(await team.owner.client.post(base(), { registry: 'replay.example.com', username: 'b', password: PASSWORD }, headers(`${key}-r`)), 200);
    const replayed = expectStatus(await team.owner.client.post(base(), { registry: 'replay.example.com', username: 'b', password: PASSWORD }, headers(`${key}-r`)), 200);
    expect(replayed.headers.get('idempotent-replayed')).toBe('true');
  });

  it('creates with POST and replaces with PUT /{registry}; answers never carry the password', async () => {
    const created = expectStatus(await team.owner.client.post<Credential>(base(), { registry: 'registry.example.com:5000', username: 'ci', password: PASSWORD }), 201);
    expect(Object.keys(created.body).sort()).toEqual(['created_at', 'id', 'registry', 'updated_at', 'username']);
    expect(created.body).toMatchObject({ registry: 'registry.example.com:5000', username: 'ci' });
    const replaced = expectStatus(await team.owner.client.put<Credential>(`${base()}/registry.example.com:5000`, { username: 'robot', password: NEW_PASSWORD }), 200);
    expect(replaced.body).toMatchObject({ id: created.body.id, registry: 'registry.example.com:5000', username: 'robot' });
    expectStatus(await team.owner.client.put<Credential>(`${base()}/ghcr.io`, { username: 'octo', password: PASSWORD }), 201);
    // Creating answers 201, replacing 200, on either route.
    expectStatus(await team.owner.client.post<Credential>(base(), { registry: 'ghcr.io', username: 'octo', password: PASSWORD }), 200);

    const list = expectStatus(await team.owner.client.get<Credential[]>(base()), 200);
    expect(list.body.map((c) => [c.registry, c.username])).toEqual([['ghcr.io', 'octo'], ['registry.example.com:5000', 'robot']]);
    for (const text of [created.text, replaced.text, list.text]) {
      expect(text).not.toContain(PASSWORD);
      expect(text).not.toContain(NEW_PASSWORD);
      expect(text).not.toContain('password');
    }
  });

  it('stores passwords encrypted and keeps them out of the audit trail', async () => {
    const rows = JSON.stringify(await sql(app.databaseUrl, 'SELECT * FROM registry_credentials'));
    const audit = JSON.stringify(await sql(app.databaseUrl, 'SELECT * FROM audit_events'));
    expect(audit).toContain('registry_credential.put');
    for (const where of [rows, audit]) {
      expect(where).not.toContain(PASSWORD);
      expect(where).not.toContain(NEW_PASSWORD);
      expect(where).not.toContain(Buffer.from(`robot:${NEW_PASSWORD}`).toString('base64'));
    }
  });

  it('builds the dockerconfigjson for the renderer, for that team and registry only', async () => {
    const secret = await service.pullSecretFor(team.id, 'registry.example.com:5000');
    expect(secret?.registry).toBe('registry.example.com:5000');
    expect(JSON.parse(secret!.dockerConfigJson)).toEqual({
      auths: { 'registry.example.com:5000': { username: 'robot', password: NEW_PASSWORD, auth: Buffer.from(`robot:${NEW_PASSWORD}`).toString('base64') } },
    });
    expect(await service.pullSecretFor(team.id, 'registry.example.com')).toBeNull();
    expect(await service.pullSecretFor(team.id, 'quay.io')).toBeNull();
    const other = await newTeam(app);
    expect(await service.pullSecretFor(other.id, 'ghcr.io')).toBeNull();
  });

  it('treats the names of Docker Hub as one registry, under the key the kubelet matches', async () => {
    expectStatus(await team.owner.client.post<Credential>(base(), { registry: 'index.docker.io', username: 'hub', password: PASSWORD }), 201);
    const stored = (await team.owner.client.get<Credential[]>(base())).body.find((c) => c.username === 'hub');
    expect(stored?.registry).toBe('docker.io');
    for (const name of ['docker.io', 'index.docker.io', 'registry-1.docker.io']) {
      const secret = await service.pullSecretFor(team.id, name);
      expect(Object.keys((JSON.parse(secret!.dockerConfigJson) as { auths: object }).auths)).toEqual(['https://index.docker.io/v1/']);
    }
    expectStatus(await team.owner.client.delete(`${base()}/index.docker.io`), 204);
    expect(await service.pullSecretFor(team.id, 'docker.io')).toBeNull();
  });

  it('refuses a registry that is not a host[:port], naming the field', async () => {
    for (const registry of ['Not A Host', 'https://ghcr.io', 'ghcr.io/team', 'ghcr.io:70000', 'UPPER.io', '']) {
      const res = await team.owner.client.post(base(), { registry, username: 'a', password: 'b' });
      expect({ registry, status: res.status, field: (res.body as { field?: string }).field }).toEqual({ registry, status: 422, field: 'registry' });
    }
    const viaPath = await team.owner.client.put(`${base()}/ghcr.io:0`, { username: 'a', password: 'b' });
    expect(viaPath.body).toMatchObject({ status: 422, field: 'registry' });
    expect((await team.owner.client.post(base(), { registry: 'ghcr.io', username: 'a' })).body).toMatchObject({ status: 422, field: 'password' });
  });

  it('is for team admins only', async () => {
    const developer = await newMember(app, team, 'developer');
    const viewer = await newMember(app, team, 'viewer');
    const admin = await newMember(app, team, 'admin');
    for (const user of [developer, viewer]) {
      expect((await user.client.get(base())).status).toBe(403);
      expect((await user.client.post(base(), { registry: 'x.io', username: 'a', password: 'b' })).status).toBe(403);
      expect((await user.client.put(`${base()}/x.io`, { username: 'a', password: 'b' })).status).toBe(403);
      expect((await user.client.delete(`${base()}/ghcr.io`)).status).toBe(403);
    }
    const outsider = (await newTeam(app)).owner;
    expect((await outsider.client.get(base())).status).toBe(404);
    expectStatus(await admin.client.get(base()), 200);
  });

  it('forgets a login on DELETE, and says so when there is none', async () => {
    expectStatus(await team.owner.client.delete(`${base()}/ghcr.io`), 204);
    expect(await service.pullSecretFor(team.id, 'ghcr.io')).toBeNull();
    expect((await team.owner.client.delete(`${base()}/ghcr.io`)).status).toBe(404);
    expect((await team.owner.client.get<Credential[]>(base())).body.map((c) => c.registry)).toEqual(['registry.example.com:5000']);
  });
});
