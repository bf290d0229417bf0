// Secrets at rest: envelope encryption, key rotation that converges, and a canary that never leaks.
import { execFileSync } from 'node:child_process';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { pino } from 'pino';
import { EncryptionService } from '../../src/common/crypto/encryption.service.js';
import { KeyRotationService } from '../../src/modules/key-rotation/key-rotation.service.js';
import { createTestDatabase, sql } from '../support/database.js';
import { newEnvironment } from '../support/factories.js';
import { expectStatus } from '../support/http.js';
import { createTestApp, TEST_ENCRYPTION_KEY, type TestApp } from '../support/test-app.js';

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
  });
});
