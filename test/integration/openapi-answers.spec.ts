// What answers really carry matches what the OpenAPI document says they carry (#14): nullability,
// integers, formats (uuid, date-time) and enums, checked with ajv against real answers of a
// started Berth — a generated client trusts exactly these.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { SandboxCluster } from '@berth/sandbox';
import { newApp, newEnvironment, type TestEnvironment } from '../support/factories.js';
import { eventually, newSandbox, registerCluster } from '../support/sandbox.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

type Json = Record<string, unknown>;
interface Doc {
  components: Json;
  paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: Json }> }> }>>;
}

// OpenAPI 3.0's `nullable` beside `allOf` means "this object or null"; JSON Schema says it with anyOf.
const doc = JSON.parse(readFileSync('docs/openapi.json', 'utf8'), (_key, value: unknown) => {
  const node = value as { nullable?: boolean; allOf?: unknown[] } | null;
  if (node && typeof node === 'object' && node.nullable === true && Array.isArray(node.allOf)) return { anyOf: [node.allOf[0], { type: 'null' }] };
  return value;
}) as Doc;
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

describe('answers against the OpenAPI document', () => {
  let app: TestApp;
  let env: TestEnvironment;
  const ajv = addFormats(new Ajv({ strict: false, allErrors: true }));
  ajv.addSchema({ components: doc.components }, 'doc');
  const schemaOf = (path: string, status = '200') => {
    const schema = doc.paths[path]?.get?.responses[status]?.content?.['application/json']?.schema;
    if (!schema) throw new Error(`no JSON answer documented for GET ${path}`);
    return JSON.parse(JSON.stringify(schema).replace(/"#\/components/g, '"doc#/components')) as Json;
  };

  beforeAll(async () => {
    app = await createTestApp();
    env = await newEnvironment(app);
    const client = env.app.team.owner.client;
    await client.patch(`${env.path}/config-vars`, { set: { LOG_LEVEL: 'info' } });
    await client.post(`${env.path}/releases`, { image: 'registry.example.com/shop:1' });
    await client.patch(`${env.path}/formation`, { process_types: [{ type: 'web', replicas: 2, autoscaling: { min: 1, max: 3, target_cpu: 50 } }, { type: 'worker', command: 'work' }] });
    await client.post(`${env.path}/domains`, { hostname: 'shop.example.com' });
  });
  afterAll(async () => {
    await app.close();
  });

  it('every answer of a team member validates against its documented schema', async () => {
    const client = env.app.team.owner.client;
    const token = (await client.post<{ id: string }>('/v1/tokens', {})).body;
    const team = env.app.team.name;
    const calls: Array<[string, string]> = [
      [env.path, '/v1/apps/{app}/environments/{env}'],
      [`/v1/apps/${env.app.name}/environments`, '/v1/apps/{app}/environments'],
      [`${env.path}/releases`, '/v1/apps/{app}/environments/{env}/releases'],
      [`${env.path}/releases/1`, '/v1/apps/{app}/environments/{env}/releases/{release}'],
      [`${env.path}/formation`, '/v1/apps/{app}/environments/{env}/formation'],
      [`${env.path}/domains`, '/v1/apps/{app}/environments/{env}/domains'],
      [`${env.path}/config-vars`, '/v1/apps/{app}/environments/{env}/config-vars'],
      [`/v1/apps/${env.app.name}`, '/v1/apps/{app}'],
      ['/v1/apps', '/v1/apps'],
      [`/v1/teams/${team}`, '/v1/teams/{team}'],
      [`/v1/teams/${team}/members`, '/v1/teams/{team}/members'],
      [`/v1/teams/${team}/quota`, '/v1/teams/{team}/quota'],
      [`/v1/teams/${team}/registry-credentials`, '/v1/teams/{team}/registry-credentials'],
      [`/v1/tokens/${token.id}`, '/v1/tokens/{token}'],
      ['/v1/tokens', '/v1/tokens'],
      ['/v1/users/me', '/v1/users/me'],
      ['/v1/sizes', '/v1/sizes'],
    ];
    const mismatches: string[] = [];
    for (const [url, path] of calls) {
      const res = await client.get(url);
      expect(res.status).toBe(200);
      if (!ajv.validate(schemaOf(path), res.body)) mismatches.push(`GET ${path}: ${ajv.errorsText(ajv.errors)}`);
    }
    const missing = await client.get('/v1/apps/no-such-app');
    if (!ajv.validate({ $ref: 'doc#/components/schemas/Problem' }, missing.body)) mismatches.push(`Problem: ${ajv.errorsText(ajv.errors)}`);
    expect(mismatches).toEqual([]);
  });

  it('answers for platform admins validate too', async () => {
    const mismatches: string[] = [];
    for (const path of ['/v1/audit-events', '/v1/users', '/v1/clusters', '/v1/audit-events/head']) {
      const res = await app.admin.get(path);
      expect(res.status).toBe(200);
      if (!ajv.validate(schemaOf(path), res.body)) mismatches.push(`GET ${path}: ${ajv.errorsText(ajv.errors)}`);
    }
    expect(mismatches).toEqual([]);
  });

  it('a deployed environment\'s live status and its cluster validate too', async () => {
    const sandbox: SandboxCluster = await newSandbox('answers');
    try {
      const cluster = await registerCluster(app, sandbox);
      const parent = await newApp(app);
      const client = parent.team.owner.client;
      const placed = await newEnvironment(app, { app: parent, name: 'live', progressDeadlineSeconds: 3600 });
      await client.post(`${placed.path}/releases`, { image: 'registry.example.com/shop:1' });
      await eventually(async () => {
        const res = await client.get<{ status: { phase: string } | null }>(placed.path);
        return res.body.status?.phase === 'succeeded' ? true : undefined;
      }, 'a live status');
      const mismatches: string[] = [];
      const check = async (url: string, path: string, caller = client) => {
        const res = await caller.get(url);
        expect(res.status).toBe(200);
        if (!ajv.validate(schemaOf(path), res.body)) mismatches.push(`GET ${path}: ${ajv.errorsText(ajv.errors)}`);
      };
      await check(placed.path, '/v1/apps/{app}/environments/{env}');
      await check(`${placed.path}/releases/1`, '/v1/apps/{app}/environments/{env}/releases/{release}');
      await check(`/v1/clusters/${cluster.name}`, '/v1/clusters/{cluster}', app.admin);
      await check('/v1/clusters', '/v1/clusters', app.admin);
      expect(mismatches).toEqual([]);
      // Asynchronous work (202) says where to follow it: the environment being restarted.
      const restart = await client.post(`${placed.path}/restart`);
      expect(restart.status).toBe(202);
      expect(restart.headers.get('location')).toBe(placed.path);
    } finally {
      await sandbox.stop();
    }
  });
});
