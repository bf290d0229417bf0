import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from '../support/database.js';
import { newEnvironment, newMember, type TestEnvironment } from '../support/factories.js';
import { expectStatus } from '../support/http.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

interface Release {
  id: string;
  number: number;
  version_label: string;
  image: string;
  image_digest: string | null;
  config_keys: string[];
  formation: Array<{ type: string; replicas: number; size: string; port: number | null }>;
  description: string;
  rollback_of: number | null;
  created_by: { id: string; email: string } | null;
}

const DIGEST = `sha256:${'ab'.repeat(32)}`;

describe('releases', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(async () => {
    await app.close();
  });

  const deploy = async (env: TestEnvironment, body: Record<string, unknown>) =>
    expectStatus(await env.app.team.owner.client.post<Release>(`${env.path}/releases`, body), 201).body;

  it('numbers releases v1, v2, v3, pins the image and its digest, and reads them by number or label', async () => {
    const env = await newEnvironment(app);
    const client = env.app.team.owner.client;
    const v1 = await deploy(env, { image: 'registry.example.com/pay/checkout:1.0' });
    const v2 = await deploy(env, { image: `registry.example.com/pay/checkout@${DIGEST}`, description: 'pinned' });
    const v3 = await deploy(env, { image: 'nginx' });
    expect([v1.number, v2.number, v3.number]).toEqual([1, 2, 3]);
    expect(v1).toMatchObject({ version_label: 'v1', image_digest: null, description: 'Deploy registry.example.com/pay/checkout:1.0', rollback_of: null });
    expect(v1.created_by).toEqual({ id: env.app.team.owner.id, email: env.app.team.owner.email });
    expect(v2).toMatchObject({ image: `registry.example.com/pay/checkout@${DIGEST}`, image_digest: DIGEST, description: 'pinned' });
    expect(expectStatus(await client.get<Release>(`${env.path}/releases/2`), 200).body.id).toBe(v2.id);
    expect(expectStatus(await client.get<Release>(`${env.path}/releases/v2`), 200).body.id).toBe(v2.id);
    expect((await client.get(`${env.path}/releases/v9`)).status).toBe(404);
    expect((await client.get(`${env.path}/releases/latest`)).status).toBe(404);
    expect(expectStatus(await client.get<{ current_release: number }>(env.path), 200).body.current_release).toBe(3);

    const page1 = expectStatus(await client.get<{ items: Release[]; next_cursor: string }>(`${env.path}/releases?limit=2`), 200).body;
    expect(page1.items.map((r) => r.number)).toEqual([3, 2]);
    const page2 = expectStatus(await client.get<{ items: Release[]; next_cursor: string | null }>(`${env.path}/releases?limit=2&cursor=${page1.next_cursor}`), 200).body;
    expect(page2.items.map((r) => r.number)).toEqual([1]);
    expect(page2.next_cursor).toBeNull();
  });

  it('hands out gap-free, unique numbers to concurrent deploys', async () => {
    const env = await newEnvironment(app);
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => env.app.team.owner.client.post<Release>(`${env.path}/releases`, { image: `nginx:1.${i}` })),
    );
    expect(results.map((r) => r.status)).toEqual(Array(10).fill(201));
    expect(results.map((r) => r.body.number).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const rows = await sql<{ number: number }>(app.databaseUrl, 'SELECT number FROM releases WHERE environment_id = $1 ORDER BY number', [env.id]);
    expect(rows.map((r) => r.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    // Only one default web process type, even though ten first deploys raced.
    const processes = await sql(app.databaseUrl, 'SELECT type FROM process_types WHERE environment_id = $1', [env.id]);
    expect(processes).toHaveLength(1);
  });

  it('gives the first deploy a default web process type and snapshots the formation', async () => {
    const env = await newEnvironment(app);
    const v1 = await deploy(env, { image: 'nginx' });
    expect(v1.formation).toEqual([{ type: 'web', command: null, replicas: 1, size: 'small', autoscaling: null, port: 8080, health_check_path: null }]);
    const client = env.app.team.owner.client;
    expectStatus(await client.patch(`${env.path}/formation`, { process_types: [{ type: 'worker', replicas: 2, size: 'medium' }] }), 200);
    const v2 = await deploy(env, { image: 'nginx:2' });
    expect(v2.formation.map((p) => [p.type, p.replicas, p.size])).toEqual([['web', 1, 'small'], ['worker', 2, 'medium']]);
    // The old snapshot is unchanged.
    expect(expectStatus(await client.get<Release>(`${env.path}/releases/1`), 200).body.formation).toHaveLength(1);
  });

  it('snapshots config encrypted per release and never shows the values', async () => {
    const env = await newEnvironment(app);
    const client = env.app.team.owner.client;
    expectStatus(await client.patch(`${env.path}/config-vars`, { set: { API_SECRET: 'hunter2-plaintext' } }), 200);
    const v1 = await deploy(env, { image: 'nginx' });
    expect(v1.config_keys).toEqual(['API_SECRET']);
    expect(JSON.stringify(v1)).not.toContain('hunter2-plaintext');
    const [row] = await sql<{ config_ciphertext: string; env_ciphertext: string }>(
      app.databaseUrl,
      'SELECT r.config_ciphertext, e.config_ciphertext AS env_ciphertext FROM releases r JOIN environments e ON e.id = r.environment_id WHERE r.id = $1',
      [v1.id],
    );
    expect(row!.config_ciphertext).toMatch(/^v2\./);
    expect(row!.config_ciphertext).not.toContain('hunter2');
    expect(row!.config_ciphertext).not.toBe(row!.env_ciphertext);
  });

  it('rolls back by copying an old release\'s image and config, and restores that config on the environment', async () => {
    const env = await newEnvironment(app);
    const client = env.app.team.owner.client;
    expectStatus(await client.patch(`${env.path}/config-vars`, { set: { MODE: 'one' } }), 200);
    await deploy(env, { image: `nginx@${DIGEST}` });
    expectStatus(await client.patch(`${env.path}/config-vars`, { set: { MODE: 'two', EXTRA: 'x' } }), 200); // v2
    await deploy(env, { image: 'nginx:broken' }); // v3
    const v4 = await deploy(env, { rollback_to: 1 });
    expect(v4).toMatchObject({ number: 4, image: `nginx@${DIGEST}`, image_digest: DIGEST, rollback_of: 1, description: 'Rollback to v1', config_keys: ['MODE'] });
    const vars = expectStatus(await client.get<{ vars: Record<string, string> }>(`${env.path}/config-vars`), 200).body.vars;
    expect(vars).toEqual({ MODE: 'one' });

    const unknown = await client.post(`${env.path}/releases`, { rollback_to: 99 });
    expect(unknown.status).toBe(422);
    expect(unknown.body).toMatchObject({ code: 'validation-failed', field: 'rollback_to' });
    expect(expectStatus(await client.get<{ current_release: number }>(env.path), 200).body.current_release).toBe(4);
  });

  it('needs exactly one of image and rollback_to, and a valid image reference; writes nothing otherwise', async () => {
    const env = await newEnvironment(app);
    const client = env.app.team.owner.client;
    await deploy(env, { image: 'nginx' });
    const cases: Array<[Record<string, unknown>, string]> = [
      [{}, 'image'],
      [{ image: 'nginx', rollback_to: 1 }, 'rollback_to'],
      [{ image: 'UPPER/Case:tag' }, 'image'],
      [{ rollback_to: 0 }, 'rollback_to'],
      [{ image: 'nginx', force: true }, 'force'],
    ];
    for (const [body, field] of cases) {
      const res = await client.post(`${env.path}/releases`, body);
      expect(res.status).toBe(422);
      expect(res.body).toMatchObject({ field });
    }
    const rows = await sql<{ release_counter: number }>(app.databaseUrl, 'SELECT release_counter FROM environments WHERE id = $1', [env.id]);
    expect(rows[0]!.release_counter).toBe(1);
  });

  it('refuses viewers (403), other teams (404) and environments being deleted (409)', async () => {
    const env = await newEnvironment(app);
    const other = await newEnvironment(app);
    const viewer = await newMember(app, env.app.team, 'viewer');
    const res = await viewer.client.post(`${env.path}/releases`, { image: 'nginx' });
    expect(res.status).toBe(403);
    expectStatus(await viewer.client.get(`${env.path}/releases`), 200);
    expect((await other.app.team.owner.client.post(`${env.path}/releases`, { image: 'nginx' })).status).toBe(404);
    expect((await other.app.team.owner.client.get(`${env.path}/releases`)).status).toBe(404);

    await sql(app.databaseUrl, `UPDATE environments SET state = 'deleting' WHERE id = $1`, [env.id]);
    const late = await env.app.team.owner.client.post(`${env.path}/releases`, { image: 'nginx' });
    expect(late.status).toBe(409);
    expect(late.body).toMatchObject({ code: 'invalid-state' });
    expect(await sql(app.databaseUrl, 'SELECT 1 FROM releases WHERE environment_id = $1', [env.id])).toHaveLength(0);
  });

  it('has no route that changes or deletes a release', async () => {
    const env = await newEnvironment(app);
    const v1 = await deploy(env, { image: 'nginx' });
    const client = env.app.team.owner.client;
    for (const method of ['PATCH', 'PUT', 'DELETE']) {
      const res = await client.request(method, `${env.path}/releases/1`, method === 'DELETE' ? {} : { body: { image: 'evil' } });
      expect([404, 405]).toContain(res.status);
    }
    expect(expectStatus(await client.get<Release>(`${env.path}/releases/1`), 200).body).toMatchObject({ id: v1.id, image: 'nginx' });
  });

  it('keeps only the team\'s releases_retained newest releases', async () => {
    const env = await newEnvironment(app);
    const quota = expectStatus(await app.admin.get<{ version: number }>(`/v1/teams/${env.app.team.name}/quota`), 200).body;
    expectStatus(await app.admin.put(`/v1/teams/${env.app.team.name}/quota`, { releases_retained: 2 }, { headers: { 'if-match': `"${quota.version}"` } }), 200);
    for (let i = 0; i < 4; i += 1) await deploy(env, { image: `nginx:${i}` });
    const list = expectStatus(await env.app.team.owner.client.get<{ items: Release[] }>(`${env.path}/releases`), 200).body;
    expect(list.items.map((r) => r.number)).toEqual([4, 3]);
    expect((await env.app.team.owner.client.post(`${env.path}/releases`, { rollback_to: 1 })).status).toBe(422);
  });
});
