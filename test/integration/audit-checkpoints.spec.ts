// Audit anchoring (issue #12, item 7): signed checkpoints of the head go to a sink outside the
// database; verification compares the log with them, so an attacker with database rights who
// rewinds the head or rewrites history and recomputes the hashes is caught, and the answer names
// the first event after the last checkpoint that still matches.
import { createPublicKey, verify as verifySignature } from 'node:crypto';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { hashEvent } from '../../src/modules/audit/audit-chain.js';
import { AuditRepository } from '../../src/modules/audit/audit.repository.js';
import type { SignedHead } from '../../src/modules/audit/audit-signer.js';
import { AuditCheckpointService } from '../../src/modules/audit/checkpoints/audit-checkpoint.service.js';
import { sql } from '../support/database.js';
import { newTeam, type TestTeam } from '../support/factories.js';
import { expectStatus } from '../support/http.js';
import { eventually } from '../support/sandbox.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

interface Verify {
  valid: boolean;
  problem: { kind: string; seq: string; detail: string } | null;
  checkpoints: { checked: number; rejected: number; last_good_seq: string | null; latest_seq: string | null; sink_read: boolean; last_error: { message: string } | null };
}

const MANUAL = '86400000';
const opened: TestApp[] = [];
async function start(env: Record<string, string>, databaseUrl?: string): Promise<TestApp> {
  const app = await createTestApp({ env, ...(databaseUrl ? { databaseUrl } : {}) });
  opened.push(app);
  return app;
}
afterAll(async () => {
  for (const app of opened.reverse()) await app.close();
});

/** As an attacker with database superuser rights would: triggers off, then edit history. */
async function tamper(url: string, statements: string[]): Promise<void> {
  await sql(url, `BEGIN; SET LOCAL session_replication_role = replica; ${statements.join('; ')}; COMMIT`);
}
const headSeq = async (url: string) => BigInt((await sql<{ seq: string }>(url, 'SELECT seq::text AS seq FROM audit_head'))[0]!.seq);
async function moreEvents(team: TestTeam, n: number): Promise<void> {
  for (let i = 0; i < n; i += 1) expectStatus(await team.owner.client.patch(`/v1/teams/${team.name}`, { display_name: `v${i}-${Math.random()}` }), 200);
}
const verify = async (app: TestApp) => expectStatus(await app.admin.get<Verify>('/v1/audit-events/verify'), 200).body;
const checkpointer = (app: TestApp) => app.server.app.get(AuditCheckpointService);

describe('audit checkpoints outside the database', () => {
  it('are written automatically to a directory, signed, at the interval configured', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'berth-cp-'));
    const app = await start({ BERTH_AUDIT_CHECKPOINT_SINK: `file://${dir}`, BERTH_AUDIT_CHECKPOINT_INTERVAL_MS: '200' });
    await moreEvents(await newTeam(app), 2);
    const head = await headSeq(app.databaseUrl);
    // The newest checkpoint file, once one has caught up with the head.
    const file = await eventually(async () => {
      const names = (await readdir(dir)).filter((n) => /^audit-checkpoint-\d{20}\.json$/.test(n)).sort();
      const newest = names[names.length - 1];
      return newest && BigInt(newest.slice(17, 37)) >= head ? join(dir, newest) : undefined;
    }, 'a checkpoint of the head in the directory');
    const checkpoint = JSON.parse(await readFile(file, 'utf8')) as SignedHead;
    const { public_key } = expectStatus(await app.admin.get<{ public_key: string }>('/v1/audit-events/head'), 200).body;
    const payload = `berth-audit-head\n${checkpoint.seq}\n${checkpoint.hash}\n${checkpoint.exported_at}`;
    expect(verifySignature(null, Buffer.from(payload), createPublicKey(public_key), Buffer.from(checkpoint.signature, 'base64'))).toBe(true);
    const [event] = await sql<{ hash: string }>(app.databaseUrl, 'SELECT hash FROM audit_events WHERE seq = $1', [checkpoint.seq]);
    expect(checkpoint.hash).toBe(event!.hash);
    const result = await verify(app);
    expect(result).toMatchObject({ valid: true, checkpoints: { rejected: 0, sink_read: true } });
    expect(result.checkpoints.checked).toBeGreaterThanOrEqual(1);
    // A checkpoint someone forged in the sink (no signing key) is ignored, and counted.
    const forged = { ...checkpoint, seq: '99999', hash: 'f'.repeat(64) };
    await writeFile(join(dir, `audit-checkpoint-${'99999'.padStart(20, '0')}.json`), JSON.stringify(forged));
    expect(await verify(app)).toMatchObject({ valid: true, checkpoints: { rejected: 1 } });
  });

  it('reveal deleted last events and a rewound head, naming the first event after the last good checkpoint', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'berth-cp-'));
    const app = await start({ BERTH_AUDIT_CHECKPOINT_SINK: dir, BERTH_AUDIT_CHECKPOINT_INTERVAL_MS: MANUAL });
    const team = await newTeam(app);
    await moreEvents(team, 2);
    const first = (await checkpointer(app).checkpoint())!;
    await moreEvents(team, 4);
    const second = (await checkpointer(app).checkpoint())!;
    expect(BigInt(second.seq)).toBeGreaterThan(BigInt(first.seq) + 2n);
    expect(await checkpointer(app).checkpoint()).toBeUndefined();
    const cut = BigInt(second.seq) - 2n;
    // Everything an attacker with the database can do: cut the log, rewind the head, and remove
    // the database's own record of the checkpoints.
    await tamper(app.databaseUrl, [`DELETE FROM audit_events WHERE seq > ${cut}`, `UPDATE audit_head SET seq = ${cut}, hash = (SELECT hash FROM audit_events WHERE seq = ${cut})`, 'DELETE FROM audit_checkpoints']);
    const result = await verify(app);
    expect(result.valid).toBe(false);
    expect(result.problem).toMatchObject({ kind: 'truncated', seq: (BigInt(first.seq) + 1n).toString() });
    expect(result.checkpoints.last_good_seq).toBe(first.seq);
  });

  it('reveal an event rewritten with every later hash recomputed', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'berth-cp-'));
    const app = await start({ BERTH_AUDIT_CHECKPOINT_SINK: dir, BERTH_AUDIT_CHECKPOINT_INTERVAL_MS: MANUAL });
    const team = await newTeam(app);
    await moreEvents(team, 2);
    const first = (await checkpointer(app).checkpoint())!;
    await moreEvents(team, 3);
    await checkpointer(app).checkpoint();
    await moreEvents(team, 1);
    // Rewrite the event after the first checkpoint and re-chain everything after it.
    const events = await app.server.app.get(AuditRepository).batch(BigInt(first.seq), 1000);
    let prevHash = (await sql<{ hash: string }>(app.databaseUrl, 'SELECT hash FROM audit_events WHERE seq = $1', [first.seq]))[0]!.hash;
    const statements: string[] = [];
    for (const [i, event] of events.entries()) {
      const rewritten = { ...event, actorName: i === 0 ? 'someone-else@example.com' : event.actorName, prevHash };
      const hash = hashEvent(rewritten);
      statements.push(`UPDATE audit_events SET actor_name = '${rewritten.actorName}', prev_hash = '${prevHash}', hash = '${hash}' WHERE seq = ${event.seq}`);
      prevHash = hash;
    }
    statements.push(`UPDATE audit_head SET hash = '${prevHash}'`);
    await tamper(app.databaseUrl, statements);
    const result = await verify(app);
    expect(result.valid).toBe(false);
    expect(result.problem).toMatchObject({ kind: 'edited', seq: (BigInt(first.seq) + 1n).toString() });
  });

  it('keeps audit_head moving only forward through the append path', async () => {
    const app = await start({});
    const team = await newTeam(app);
    await moreEvents(team, 2);
    const head = await headSeq(app.databaseUrl);
    const refused = async (statement: string) => {
      await expect(sql(app.databaseUrl, statement)).rejects.toThrow(/audit_head moves only/);
    };
    await refused(`UPDATE audit_head SET seq = seq - 1, hash = (SELECT hash FROM audit_events WHERE seq = ${head - 1n})`);
    await refused(`UPDATE audit_head SET hash = '${'f'.repeat(64)}'`);
    await refused('UPDATE audit_head SET seq = seq + 1');
    await refused('DELETE FROM audit_head');
    await refused(`INSERT INTO audit_head (id, seq, hash) VALUES (2, 0, '${'0'.repeat(64)}')`);
    await refused('TRUNCATE audit_head');
    expect(await headSeq(app.databaseUrl)).toBe(head);
    await moreEvents(team, 1);
    expect(await headSeq(app.databaseUrl)).toBe(head + 1n);
    expect(await verify(app)).toMatchObject({ valid: true });
  });

  it('are written once per head by several replicas, which never fight', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'berth-cp-'));
    const env = { BERTH_AUDIT_CHECKPOINT_SINK: dir, BERTH_AUDIT_CHECKPOINT_INTERVAL_MS: MANUAL };
    const a = await start(env);
    const b = await start(env, a.databaseUrl);
    const team = await newTeam(a);
    for (let round = 0; round < 6; round += 1) {
      await moreEvents(team, 1);
      const written = await Promise.all([checkpointer(a).checkpoint(), checkpointer(b).checkpoint(), checkpointer(a).checkpoint()]);
      expect(written.filter(Boolean)).toHaveLength(1);
    }
    const rows = await sql<{ seq: string }>(a.databaseUrl, 'SELECT seq::text AS seq FROM audit_checkpoints ORDER BY seq');
    const files = (await readdir(dir)).filter((n) => n.endsWith('.json'));
    expect(rows).toHaveLength(6);
    expect(files.sort()).toEqual(rows.map((r) => `audit-checkpoint-${r.seq.padStart(20, '0')}.json`));
    expect((await readdir(dir)).filter((n) => n.startsWith('.tmp-'))).toEqual([]);
  });

  describe('to a webhook', () => {
    const received: SignedHead[] = [];
    let failNext = 0;
    let server: Server;
    let url: string;
    const TOKEN = 'checkpoint-sink-token-0123456789';
    afterAll(async () => {
      await new Promise((resolve) => server.close(resolve));
    });

    it('POSTs each signed checkpoint (with the bearer token), retries after a failure, and verifies against what the endpoint lists', async () => {
      server = createServer((req, res) => {
        if (req.headers.authorization !== `Bearer ${TOKEN}`) {
          res.writeHead(401).end();
          return;
        }
        if (req.method === 'GET') {
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(received));
          return;
        }
        let body = '';
        req.on('data', (c: Buffer) => (body += c.toString()));
        req.on('end', () => {
          if (failNext > 0) {
            failNext -= 1;
            res.writeHead(503).end();
            return;
          }
          received.push(JSON.parse(body) as SignedHead);
          res.writeHead(204).end();
        });
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const address = server.address();
      url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/checkpoints`;
      const app = await start({ BERTH_AUDIT_CHECKPOINT_SINK: url, BERTH_AUDIT_CHECKPOINT_SINK_TOKEN: TOKEN, BERTH_AUDIT_CHECKPOINT_INTERVAL_MS: MANUAL });
      const team = await newTeam(app);
      await moreEvents(team, 2);
      failNext = 1;
      await expect(checkpointer(app).checkpoint()).rejects.toThrow(/503/);
      expect(await sql(app.databaseUrl, 'SELECT 1 FROM audit_checkpoints')).toHaveLength(0);
      // Anchoring that lags says why.
      expect((await verify(app)).checkpoints).toMatchObject({ latest_seq: null, last_error: { message: expect.stringMatching(/503/) } });
      const first = (await checkpointer(app).checkpoint())!;
      expect((await verify(app)).checkpoints).toMatchObject({ latest_seq: first.seq, last_error: null });
      expect(received).toEqual([first]);
      await moreEvents(team, 3);
      await checkpointer(app).checkpoint();
      expect(received).toHaveLength(2);
      const cut = BigInt(received[1]!.seq) - 1n;
      await tamper(app.databaseUrl, [`DELETE FROM audit_events WHERE seq > ${cut}`, `UPDATE audit_head SET seq = ${cut}, hash = (SELECT hash FROM audit_events WHERE seq = ${cut})`, 'DELETE FROM audit_checkpoints']);
      const result = await verify(app);
      expect(result).toMatchObject({ valid: false, problem: { kind: 'truncated', seq: (BigInt(first.seq) + 1n).toString() }, checkpoints: { sink_read: true, last_good_seq: first.seq } });
    });
  });
});
