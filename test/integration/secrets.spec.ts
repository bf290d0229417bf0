// Secrets at rest: envelope encryption, key rotation that converges, and a canary that never leaks.
import { execFileSync } from 'node:child_process';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { pino } from 'pino';
import { EncryptionService } from '../../src/common/crypto/encryption.service.js';
import { IdempotencyService } from '../../src/modules/idempotency/idempotency.service.js';
import { KeyRotationService } from '../../src/modules/key-rotation/key-rotation.service.js';
import { createTestDatabase, sql } from '../support/database.js';
import { newEnvironment, newMember } from '../support/factories.js';
import { expectStatus } from '../support/http.js';
import { createTestApp, TEST_ENCRYPTION_KEY, type TestApp } from '../support/test-app.js';
import { gqlData } from './graphql-client.js';

const NEW_KEY = Buffer.alloc(32, 9).toString('base64');
const PG_DUMP = `${process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin'}/pg_dump`;

async function secretKeyIds(url: string): Promise<string[]> {
  const rows = await sql<{ kid: string }>(
    url,
    `SELECT split_part(config_ciphertext, '.', 2) AS kid FROM environments WHERE config_ciphertext <> ''
     UNION ALL SELECT split_part(config_ciphertext, '.', 2) FROM releases
     UNION ALL SELECT split_part(password_ciphertext, '.', 2) FROM registry_credentials`,
  );
  return [...new Set(rows.map((r) => r.kid))];
}

describe('secrets at rest', () => {
  it('rotates the key: re-wraps every secret, and the old key can then be removed', async () => {
    const db = await createTestDatabase();
    const before = await createTestApp({ databaseUrl: db.url });
    const env = await newEnvironment(before, { name: 'rotate' });
    const owner = env.app.team.owner.client;
    expectStatus(await owner.patch(`${env.path}/config-vars`, { set: { DATABASE_URL: 'postgres://secret@db/x' } }), 200);
    expectStatus(await owner.post(`${env.path}/releases`, { image: 'example.com/app:1' }), 201);
    expectStatus(await owner.put(`/v1/teams/${env.app.team.name}/registry-credentials/ghcr.io`, { username: 'ci', password: 'registry-secret' }), 201);
    await before.close();
    const oldId = new EncryptionService([TEST_ENCRYPTION_KEY]).currentKeyId;
    const newId = new EncryptionService([NEW_KEY]).currentKeyId;
    expect(await secretKeyIds(db.url)).toEqual([oldId]);

    const during = await createTestApp({ databaseUrl: db.url, env: { BERTH_ENCRYPTION_KEY: `${NEW_KEY},${TEST_ENCRYPTION_KEY}` } });
    const report = await during.server.app.get(KeyRotationService).rotate();
    expect(report.rewrapped['environments.config_ciphertext']).toBe(1);
    expect(report.rewrapped['releases.config_ciphertext']).toBe(1);
    expect(report.rewrapped['registry_credentials.password_ciphertext']).toBe(1);
    expect((await during.server.app.get(KeyRotationService).rotate()).rewrapped['releases.config_ciphertext']).toBe(0);
    await during.close();
    expect(await secretKeyIds(db.url)).toEqual([newId]);

    const after = await createTestApp({ databaseUrl: db.url, env: { BERTH_ENCRYPTION_KEY: NEW_KEY } });
    try {
      const vars = expectStatus(await after.admin.get<{ vars: Record<string, string> }>(`${env.path}/config-vars`), 200).body;
      expect(vars.vars).toEqual({ DATABASE_URL: 'postgres://secret@db/x' });
    } finally {
      await after.close();
      await db.drop();
    }
  });

  describe('a canary secret', () => {
    const CANARY = 'canary-7f3c1e9b-never-leak';
    const lines: string[] = [];
    let app: TestApp;
    beforeAll(async () => {
      const sink = new Writable({
        write(chunk: Buffer, _encoding, done) {
          lines.push(chunk.toString());
          done();
        },
      });
      app = await createTestApp({ logger: pino({ level: 'trace', redact: { paths: ['req.headers.authorization'], censor: '[REDACTED]' } }, sink) });
    });
    afterAll(async () => {
      await app.close();
    });

    it('never appears in logs, audit rows, error bodies or a raw dump of the database', async () => {
      const env = await newEnvironment(app, { name: 'canary' });
      const owner = env.app.team.owner.client;
      expectStatus(await owner.patch(`${env.path}/config-vars`, { set: { API_KEY: CANARY } }), 200);
      expectStatus(await owner.post(`${env.path}/releases`, { image: 'example.com/app:1' }), 201);
      expectStatus(await owner.get(`${env.path}/config-vars`), 200);
      const rejected = await owner.patch(`${env.path}/config-vars`, { set: { 'BAD KEY': CANARY } });
      expect(rejected.status).toBe(422);
      expect(rejected.text).not.toContain(CANARY);
      const unknownField = await owner.patch(`${env.path}/config-vars`, { set: { A: 'b' }, leak: CANARY });
      expect(unknownField.status).toBe(422);
      expect(unknownField.text).not.toContain(CANARY);
      expect(lines.length).toBeGreaterThan(5);
      expect(lines.join('')).not.toContain(CANARY);
      const audit = await sql<{ t: string }>(app.databaseUrl, `SELECT coalesce(string_agg(row_to_json(a)::text, ''), '') AS t FROM audit_events a`);
      expect(audit[0]!.t).toContain('API_KEY');
      expect(audit[0]!.t).not.toContain(CANARY);
      const dump = execFileSync(PG_DUMP, ['--data-only', app.databaseUrl], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
      expect(dump).toContain('API_KEY');
      expect(dump).not.toContain(CANARY);
    });

    it('planted over REST and GraphQL with Idempotency-Keys, is in no pg_dump, log line or answer a viewer can read', async () => {
      const env = await newEnvironment(app, { name: 'idem' });
      const team = env.app.team;
      const owner = team.owner.client;
      const viewer = await newMember(app, team, 'viewer');
      const canaries = {
        configRest: 'canary-config-rest-5d1b',
        configGql: 'canary-config-gql-8e2a',
        registry: 'canary-registry-password-3c9f',
        clusterRest: 'canary-cluster-token-rest-71aa',
        clusterGql: 'canary-cluster-token-gql-0b4e',
      };
      const key = (name: string) => ({ headers: { 'idempotency-key': `${name}-${Math.random()}` } });
      // Each request twice with its key: the replay must give the caller the same answer back.
      async function twice(send: (k: { headers: Record<string, string> }) => Promise<{ status: number; text: string; headers: Headers }>, name: string, status: number) {
        const k = key(name);
        const first = await send(k);
        expect(first.status).toBe(status);
        const again = await send(k);
        expect(again.status).toBe(status);
        expect(again.headers.get('idempotent-replayed')).toBe('true');
        expect(JSON.parse(again.text)).toEqual(JSON.parse(first.text));
        return first;
      }
      await twice((k) => owner.patch(`${env.path}/config-vars`, { set: { REST_SECRET: canaries.configRest } }, k), 'cv', 200);
      await twice((k) => owner.put(`/v1/teams/${team.name}/registry-credentials/ghcr.io`, { username: 'ci', password: canaries.registry }, k), 'reg', 201);
      await twice((k) => app.admin.post('/v1/clusters', { name: 'canary-rest', server: 'http://127.0.0.1:9', token: canaries.clusterRest }, k), 'cl', 201);
      const mintedRest = JSON.parse((await twice((k) => owner.post('/v1/tokens', { description: 'canary' }, k), 'tok', 201)).text) as { token: string };
      const gqlKey = `gql-${Math.random()}`;
      const gqlTwice = async <T>(query: string, variables: Record<string, unknown>) => {
        const first = await gqlData<T>(app.url, team.owner.token, query, { ...variables, k: gqlKey + query.length });
        expect(await gqlData<T>(app.url, team.owner.token, query, { ...variables, k: gqlKey + query.length })).toEqual(first);
        return first;
      };
      await gqlTwice('mutation($a: String!, $e: String!, $k: String) { updateConfigVars(input: { app: $a, environment: $e, set: { GQL_SECRET: "' + canaries.configGql + '" }, idempotencyKey: $k }) { configVars { version } } }', { a: env.app.name, e: env.name });
      const mintedGql = (await gqlTwice<{ createToken: { token: { token: string } } }>('mutation($k: String) { createToken(input: { description: "canary-gql", idempotencyKey: $k }) { token { token } } }', {})).createToken.token.token;
      const clusterGql = await gqlData(app.url, app.adminToken, 'mutation($k: String) { registerCluster(input: { name: "canary-gql", server: "http://127.0.0.1:9", token: "' + canaries.clusterGql + '", idempotencyKey: $k }) { cluster { name } } }', { k: gqlKey });
      expect(clusterGql).toEqual({ registerCluster: { cluster: { name: 'canary-gql' } } });
      const secrets = [...Object.values(canaries), mintedRest.token, mintedGql];
      expect(await sql(app.databaseUrl, 'SELECT 1 FROM idempotency_records')).not.toHaveLength(0);
      // A plain hash of a request holding a short secret could be guessed offline: not stored either.
      secrets.push(IdempotencyService.fingerprint(`PATCH ${env.path}/config-vars`, { set: { REST_SECRET: canaries.configRest } }));

      const found = (where: string, text: string) => secrets.filter((s) => text.includes(s)).map((s) => `${s} in ${where}`);
      const hits: string[] = [];
      const dump = execFileSync(PG_DUMP, [app.databaseUrl], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
      expect(dump).toContain('idempotency_records');
      hits.push(...found('pg_dump', dump), ...found('the server log', lines.join('')));

      // Every GET route a viewer may call, with this team's objects in its path.
      const doc = expectStatus(await app.anonymous.get<{ paths: Record<string, Record<string, Record<string, unknown>>> }>('/openapi.json'), 200).body;
      const viewerTokenId = expectStatus(await viewer.client.post<{ id: string }>('/v1/tokens', { description: 'viewer' }), 201).body.id;
      const params: Record<string, string> = { team: team.name, app: env.app.name, env: env.name, release: '1', registry: 'ghcr.io', token: viewerTokenId, user: viewer.id, type: 'web', hostname: 'none.example.com' };
      let read = 0;
      for (const [path, ops] of Object.entries(doc.paths)) {
        const op = ops.get;
        if (!op || op['x-berth-access'] === 'platform-admin' || path.includes('{cluster}')) continue;
        const res = await viewer.client.get(path.replace(/\{(\w+)\}/g, (_m, n: string) => params[n] ?? n));
        if (res.status === 200) read += 1;
        hits.push(...found(`GET ${path} as a viewer`, res.text));
      }
      const viewed = await gqlData(app.url, viewer.token, 'query($a: String!, $e: String!) { configVars(app: $a, environment: $e) { vars } }', { a: env.app.name, e: env.name });
      hits.push(...found('GraphQL configVars as a viewer', JSON.stringify(viewed)));
      expect(read).toBeGreaterThan(10);
      expect(hits).toEqual([]);
    });
  });
});
