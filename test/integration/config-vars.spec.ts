import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from '../support/database.js';
import { newEnvironment, newMember } from '../support/factories.js';
import { expectStatus } from '../support/http.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

interface Vars {
  vars: Record<string, string>;
  version: number;
  release?: number | null;
}

describe('config vars', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(async () => {
    await app.close();
  });

  const rawEnv = async (id: string) =>
    (await sql<{ config_ciphertext: string; config_keys: string[]; version: number }>(app.databaseUrl, 'SELECT config_ciphertext, config_keys, version FROM environments WHERE id = $1', [id]))[0]!;

  it('sets and unsets many keys in one request and reads them back', async () => {
    const env = await newEnvironment(app);
    const client = env.app.team.owner.client;
    const url = `${env.path}/config-vars`;
    expect(expectStatus(await client.get<Vars>(url), 200).body.vars).toEqual({});
    const first = expectStatus(await client.patch<Vars>(url, { set: { A: '1', B: '2', C: '3' } }), 200).body;
    expect(first).toMatchObject({ vars: { A: '1', B: '2', C: '3' }, release: null });
    const second = expectStatus(await client.patch<Vars>(url, { set: { A: 'one', D: '' }, unset: ['B', 'NEVER_SET'] }), 200).body;
    expect(second.vars).toEqual({ A: 'one', C: '3', D: '' });
    const read = expectStatus(await client.get<Vars>(url), 200);
    expect(read.body).toEqual({ vars: { A: 'one', C: '3', D: '' }, version: second.version });
    expect(read.headers.get('etag')).toBe(`"${second.version}"`);
    const stale = await client.patch(url, { set: { A: 'x' } }, { headers: { 'if-match': `"${first.version}"` } });
    expect(stale.status).toBe(412);
  });

  it('stores values encrypted (keys in clear) and keeps them out of the audit log', async () => {
    const env = await newEnvironment(app);
    const secret = 'postgres://user:s3cr3t-value-xyz@db/prod';
    expectStatus(await env.app.team.owner.client.patch(`${env.path}/config-vars`, { set: { DATABASE_URL: secret } }), 200);
    expectStatus(await env.app.team.owner.client.get(`${env.path}/config-vars`), 200);
    const row = await rawEnv(env.id);
    expect(row.config_keys).toEqual(['DATABASE_URL']);
    expect(row.config_ciphertext).toMatch(/^v2\./);
    expect(row.config_ciphertext).not.toContain('s3cr3t');
    const dump = await sql<{ t: string }>(app.databaseUrl, `SELECT string_agg(row_to_json(a)::text, '\n') AS t FROM audit_events a WHERE environment_id = $1`, [env.id]);
    expect(dump[0]!.t).toContain('config_vars.update');
    expect(dump[0]!.t).toContain('config_vars.reveal');
    expect(dump[0]!.t).not.toContain('s3cr3t');
  });

  it('creates a release with the current image once the environment has been deployed', async () => {
    const env = await newEnvironment(app);
    const client = env.app.team.owner.client;
    expectStatus(await client.patch(`${env.path}/config-vars`, { set: { BAZ: 'old' } }), 200);
    expectStatus(await client.post(`${env.path}/releases`, { image: 'nginx:1.27' }), 201);
    const changed = expectStatus(await client.patch<Vars>(`${env.path}/config-vars`, { set: { FOO: 'f', BAR: 'b' }, unset: ['BAZ'] }), 200).body;
    expect(changed.release).toBe(2);
    const v2 = expectStatus(await client.get<{ image: string; description: string; config_keys: string[] }>(`${env.path}/releases/2`), 200).body;
    expect(v2).toMatchObject({ image: 'nginx:1.27', description: 'Set FOO, BAR; unset BAZ', config_keys: ['BAR', 'FOO'] });
    expect(expectStatus(await client.get<{ current_release: number; version: number }>(env.path), 200).body).toMatchObject({ current_release: 2, version: changed.version });
    // Nothing changed: no new release.
    const same = expectStatus(await client.patch<Vars>(`${env.path}/config-vars`, { set: { FOO: 'f' } }), 200).body;
    expect(same.release).toBeNull();
  });

  it('validates every key and value, naming the offending field, and writes nothing', async () => {
    const env = await newEnvironment(app);
    const client = env.app.team.owner.client;
    expectStatus(await client.patch(`${env.path}/config-vars`, { set: { KEEP: 'me' } }), 200);
    const before = await rawEnv(env.id);
    const big = 'x'.repeat(32 * 1024 + 1);
    const nearly = 'y'.repeat(32 * 1024 - 10);
    const cases: Array<[unknown, string]> = [
      [{ set: { 'BAD-KEY': 'v', GOOD: 'v' } }, 'set.BAD-KEY'],
      [{ set: { '1ABC': 'v' } }, 'set.1ABC'],
      [{ set: { PORT: '80' } }, 'set.PORT'],
      [{ set: { BERTH_X: '1' } }, 'set.BERTH_X'],
      [{ set: { NUM: 5 } }, 'set.NUM'],
      [{ set: { HUGE: big } }, 'set.HUGE'],
      [{ set: Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`K${i}`, nearly])) }, 'set'],
      [{ set: { A: '1' }, unset: ['A'] }, 'unset.0'],
      [{ unset: ['OK', 'bad-key'] }, 'unset.1'],
      [{}, 'set'],
      [{ set: {}, unset: [] }, 'set'],
      [{ set: 'A=1' }, 'set'],
      [{ set: { A: '1' }, extra: true }, 'extra'],
    ];
    for (const [body, field] of cases) {
      const res = await client.patch(`${env.path}/config-vars`, body);
      expect([res.status, (res.body as { field?: string }).field]).toEqual([422, field]);
    }
    const tooMany = Object.fromEntries(Array.from({ length: 501 }, (_, i) => [`K${i}`, 'v']));
    expect((await client.patch(`${env.path}/config-vars`, { set: tooMany })).status).toBe(422);
    const after = await rawEnv(env.id);
    expect(after).toEqual(before);
  });

  it('needs the developer role to read values, and hides other teams\' environments', async () => {
    const env = await newEnvironment(app);
    const viewer = await newMember(app, env.app.team, 'viewer');
    // Viewers see which keys exist, never their values.
    expectStatus(await env.app.team.owner.client.patch(`${env.path}/config-vars`, { set: { SECRET_KEY: 'viewer-must-not-see' } }), 200);
    const masked = expectStatus(await viewer.client.get<{ vars: Record<string, string> }>(`${env.path}/config-vars`), 200);
    expect(masked.body.vars).toEqual({ SECRET_KEY: '[REDACTED]' });
    expect(masked.text).not.toContain('viewer-must-not-see');
    expect((await viewer.client.patch(`${env.path}/config-vars`, { set: { A: '1' } })).status).toBe(403);
    const developer = await newMember(app, env.app.team, 'developer');
    expectStatus(await developer.client.patch(`${env.path}/config-vars`, { set: { A: '1' } }), 200);
    const outsider = await newEnvironment(app);
    expect((await outsider.app.team.owner.client.get(`${env.path}/config-vars`)).status).toBe(404);
  });

  it('loses no update when two changes race', async () => {
    const env = await newEnvironment(app);
    const client = env.app.team.owner.client;
    await Promise.all(Array.from({ length: 8 }, (_, i) => client.patch(`${env.path}/config-vars`, { set: { [`K${i}`]: String(i) } })));
    const vars = expectStatus(await client.get<Vars>(`${env.path}/config-vars`), 200).body.vars;
    expect(Object.keys(vars).sort()).toEqual(['K0', 'K1', 'K2', 'K3', 'K4', 'K5', 'K6', 'K7']);
  });
});
