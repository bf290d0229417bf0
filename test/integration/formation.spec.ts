import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from '../support/database.js';
import { newEnvironment, newMember } from '../support/factories.js';
import { expectStatus } from '../support/http.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

interface ProcessType {
  type: string;
  command: string | null;
  replicas: number;
  size: string;
  autoscaling: { min: number; max: number; target_cpu: number } | null;
  port: number | null;
  health_check_path: string | null;
  version: number;
}

interface Formation {
  process_types: ProcessType[];
}

describe('formation', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(async () => {
    await app.close();
  });

  it('upserts process types by type, changing only the fields given', async () => {
    const env = await newEnvironment(app);
    const client = env.app.team.owner.client;
    const url = `${env.path}/formation`;
    expect(expectStatus(await client.get<Formation>(url), 200).body).toEqual({ process_types: [], version: expect.any(Number) });
    const created = expectStatus(
      await client.patch<Formation>(url, {
        process_types: [
          { type: 'web', replicas: 2, size: 'medium', port: 3000, health_check_path: '/healthz' },
          { type: 'worker', command: 'bin/worker', autoscaling: { min: 1, max: 5, target_cpu: 60 } },
        ],
      }),
      200,
    ).body;
    expect(created.process_types).toEqual([
      expect.objectContaining({ type: 'web', replicas: 2, size: 'medium', port: 3000, health_check_path: '/healthz', autoscaling: null, command: null, version: 1 }),
      expect.objectContaining({ type: 'worker', replicas: 1, size: 'small', port: null, command: 'bin/worker', autoscaling: { min: 1, max: 5, target_cpu: 60 }, version: 1 }),
    ]);
    const scaled = expectStatus(await client.patch<Formation>(url, { process_types: [{ type: 'web', replicas: 4 }, { type: 'worker', autoscaling: null }] }), 200).body;
    expect(scaled.process_types[0]).toMatchObject({ type: 'web', replicas: 4, size: 'medium', port: 3000, health_check_path: '/healthz', version: 2 });
    expect(scaled.process_types[1]).toMatchObject({ type: 'worker', autoscaling: null, command: 'bin/worker', version: 2 });
    expect(expectStatus(await client.get<Formation>(url), 200).body).toEqual(scaled);
  });

  it('does not create a release when scaling', async () => {
    const env = await newEnvironment(app);
    const client = env.app.team.owner.client;
    expectStatus(await client.post(`${env.path}/releases`, { image: 'nginx' }), 201);
    expectStatus(await client.patch(`${env.path}/formation`, { process_types: [{ type: 'web', replicas: 3 }] }), 200);
    expect(expectStatus(await client.get<{ current_release: number }>(env.path), 200).body.current_release).toBe(1);
    expect(await sql(app.databaseUrl, 'SELECT 1 FROM releases WHERE environment_id = $1', [env.id])).toHaveLength(1);
  });

  it('validates each process type, naming the field, and writes nothing', async () => {
    const env = await newEnvironment(app);
    const client = env.app.team.owner.client;
    const url = `${env.path}/formation`;
    expectStatus(await client.patch(url, { process_types: [{ type: 'web', replicas: 1 }] }), 200);
    const before = await sql(app.databaseUrl, 'SELECT * FROM process_types WHERE environment_id = $1', [env.id]);
    const cases: Array<[unknown, string, RegExp?]> = [
      [{ process_types: [{ type: 'worker', size: 'huge' }] }, 'process_types.0.size', /small, medium, large, xlarge/],
      [{ process_types: [{ type: 'web' }, { type: 'Worker' }] }, 'process_types.1.type'],
      [{ process_types: [{ type: 'web', replicas: 101 }] }, 'process_types.0.replicas'],
      [{ process_types: [{ type: 'web', replicas: -1 }] }, 'process_types.0.replicas'],
      [{ process_types: [{ type: 'worker', port: 8080 }] }, 'process_types.0.port'],
      [{ process_types: [{ type: 'worker', health_check_path: '/h' }] }, 'process_types.0.health_check_path'],
      [{ process_types: [{ type: 'web', health_check_path: 'healthz' }] }, 'process_types.0.health_check_path'],
      [{ process_types: [{ type: 'web', port: 70000 }] }, 'process_types.0.port'],
      [{ process_types: [{ type: 'web', autoscaling: { min: 0, max: 3, target_cpu: 50 } }] }, 'process_types.0.autoscaling.min'],
      [{ process_types: [{ type: 'web', autoscaling: { min: 5, max: 3, target_cpu: 50 } }] }, 'process_types.0.autoscaling.min'],
      [{ process_types: [{ type: 'web', autoscaling: { min: 1, max: 101, target_cpu: 50 } }] }, 'process_types.0.autoscaling.max'],
      [{ process_types: [{ type: 'web', autoscaling: { min: 1, max: 3, target_cpu: 0 } }] }, 'process_types.0.autoscaling.target_cpu'],
      [{ process_types: [{ type: 'web', colour: 'red' }] }, 'process_types.0.colour'],
      [{ process_types: [{ type: 'web' }, { type: 'web' }] }, 'process_types.1.type'],
      [{ process_types: [] }, 'process_types'],
      [{ process_types: Array.from({ length: 21 }, (_, i) => ({ type: `p${i}` })) }, 'process_types'],
    ];
    for (const [body, field, detail] of cases) {
      const res = await client.patch(url, body);
      expect([res.status, (res.body as { field?: string }).field]).toEqual([422, field]);
      if (detail) expect(String((res.body as { detail: string }).detail)).toMatch(detail);
    }
    expect(await sql(app.databaseUrl, 'SELECT * FROM process_types WHERE environment_id = $1', [env.id])).toEqual(before);
  });

  it('deletes a process type, and answers 404 for one that does not exist', async () => {
    const env = await newEnvironment(app);
    const client = env.app.team.owner.client;
    expectStatus(await client.patch(`${env.path}/formation`, { process_types: [{ type: 'web' }, { type: 'worker' }] }), 200);
    expectStatus(await client.delete(`${env.path}/formation/worker`), 204);
    expect((await client.delete(`${env.path}/formation/worker`)).status).toBe(404);
    expect(expectStatus(await client.get<Formation>(`${env.path}/formation`), 200).body.process_types.map((p) => p.type)).toEqual(['web']);
  });

  it('charges the team\'s CPU and memory quota and enforces replicas_per_process', async () => {
    const env = await newEnvironment(app);
    const client = env.app.team.owner.client;
    const usage = async () => expectStatus(await client.get<{ usage: { cpu_millis: number; memory_mib: number } }>(`/v1/teams/${env.app.team.name}/quota`), 200).body.usage;
    expectStatus(await client.patch(`${env.path}/formation`, { process_types: [{ type: 'web', replicas: 2, size: 'medium' }] }), 200);
    expect(await usage()).toMatchObject({ cpu_millis: 1000, memory_mib: 2048 });
    expectStatus(await client.patch(`${env.path}/formation`, { process_types: [{ type: 'web', replicas: 1 }] }), 200);
    expect(await usage()).toMatchObject({ cpu_millis: 500, memory_mib: 1024 });
    const tooMany = await client.patch(`${env.path}/formation`, { process_types: [{ type: 'web', replicas: 11 }] });
    expect(tooMany.status).toBe(422);
    expect(tooMany.body).toMatchObject({ code: 'quota-exceeded', field: 'process_types.0.replicas' });
    expectStatus(await client.delete(`${env.path}/formation/web`), 204);
    expect(await usage()).toMatchObject({ cpu_millis: 0, memory_mib: 0 });
  });

  it('lets viewers read but not scale, and hides other teams\' environments', async () => {
    const env = await newEnvironment(app);
    const viewer = await newMember(app, env.app.team, 'viewer');
    expectStatus(await viewer.client.get(`${env.path}/formation`), 200);
    expect((await viewer.client.patch(`${env.path}/formation`, { process_types: [{ type: 'web' }] })).status).toBe(403);
    expect((await viewer.client.delete(`${env.path}/formation/web`)).status).toBe(403);
    const other = await newEnvironment(app);
    expect((await other.app.team.owner.client.get(`${env.path}/formation`)).status).toBe(404);
    expect((await other.app.team.owner.client.patch(`${env.path}/formation`, { process_types: [{ type: 'web' }] })).status).toBe(404);
  });
});
