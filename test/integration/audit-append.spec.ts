// The audit chain's critical section (#15): one statement appends the event and moves the head, the
// database completes the hash exactly as hashEvent does, the head's trigger still checks every move,
// and an audited request sends that statement last before COMMIT, after the idempotency answer.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { requestContext } from '../../src/common/context/request-context.js';
import { PrismaService, TransactionHost } from '../../src/database/prisma.service.js';
import { toDomainError } from '../../src/common/http/problem.filter.js';
import { ChainVerifier, GENESIS_HASH, hashEvent, type ChainedEvent } from '../../src/modules/audit/audit-chain.js';
import { AuditRepository, type NewAuditEvent } from '../../src/modules/audit/audit.repository.js';
import { createTestDatabase, sql } from '../support/database.js';
import { newTeam } from '../support/factories.js';
import { expectStatus } from '../support/http.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

function event(over: Partial<NewAuditEvent> = {}): NewAuditEvent {
  return {
    actorType: 'user',
    actorId: 'u-1',
    actorName: 'ada@example.com',
    teamId: null,
    action: 'app.create',
    targetType: 'app',
    targetId: 'a-1',
    targetName: 'shop',
    environmentId: null,
    requestId: 'req-1',
    idempotencyKey: null,
    sourceIp: '127.0.0.1',
    userAgent: 'jest',
    outcome: 'success',
    change: null,
    ...over,
  };
}

describe('AuditRepository.append against PostgreSQL', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let prisma: PrismaService;
  let tx: TransactionHost;
  let audit: AuditRepository;
  beforeAll(async () => {
    db = await createTestDatabase();
    prisma = new PrismaService({ url: db.url, poolSize: 8 });
    tx = new TransactionHost(prisma);
    audit = new AuditRepository(tx);
  });
  afterAll(async () => {
    await prisma.close();
    await db.drop();
  });

  const readAll = () => tx.run(() => audit.batch(0n, 1000));

  it('stores events whose hash is exactly hashEvent’s, in a linear gap-free chain, under concurrent appends', async () => {
    const teamId = '6f1c0a51-0d1e-4d7e-9a4e-2d3b4c5d6e7f';
    const odd: Array<Partial<NewAuditEvent>> = [
      { change: { after: { name: 'café ☕', nested: { z: 1, a: [1, 2.5, null, true, 'x"y\\z'] } }, before: null } },
      { change: { text: 'line\nbreak\ttab \u2028 \ud83d\ude00 é' }, actorName: 'Zoë “quoted”', teamId, environmentId: teamId },
      { outcome: 'denied', actorType: 'token', actorId: null, actorName: null, requestId: null, sourceIp: null, userAgent: null, targetType: null, targetId: null, targetName: null },
      { change: [] },
      { change: 0 },
    ];
    const returned = await Promise.all(Array.from({ length: 25 }, (_, i) => tx.run(() => audit.append(event({ ...odd[i % odd.length], targetId: `a-${i}` })))));

    const stored = await readAll();
    expect(stored.map((e) => e.seq)).toEqual(Array.from({ length: 25 }, (_, i) => BigInt(i + 1)));
    for (const e of stored) expect(hashEvent(e)).toBe(e.hash);
    const verifier = new ChainVerifier();
    verifier.feed(stored);
    expect(verifier.finish(await tx.run(() => audit.head()))).toBeUndefined();
    expect(stored[0]!.prevHash).toBe(GENESIS_HASH);
    // What append answers is what was stored (the time the database stamped, cut to milliseconds).
    const bySeq = new Map(stored.map((e) => [e.seq, e]));
    for (const r of returned) {
      const s = bySeq.get(r.seq)!;
      expect({ ...r, change: s.change }).toEqual(s);
      expect(hashEvent(r)).toBe(r.hash);
    }
    // Stamped while holding the head: times never go backwards along the chain.
    for (let i = 1; i < stored.length; i++) expect(stored[i]!.occurredAt.getTime()).toBeGreaterThanOrEqual(stored[i - 1]!.occurredAt.getTime());
  });

  it('sends { seq, team_id } on the channel it is given, at commit', async () => {
    const listener = new pg.Client({ connectionString: db.url });
    await listener.connect();
    try {
      const heard = new Promise<string>((resolve) => listener.on('notification', (n) => resolve(n.payload ?? '')));
      await listener.query('LISTEN berth_audit_test');
      const teamId = '0b5e7a1c-1111-4222-8333-944455556666';
      const appended: ChainedEvent = await tx.run(() => audit.append(event({ teamId }), 'berth_audit_test'));
      expect(JSON.parse(await heard)).toEqual({ seq: appended.seq.toString(), team_id: teamId });
    } finally {
      await listener.end();
    }
  });

  it('rolls back with the transaction: no event, head unmoved, and the next append takes the same seq', async () => {
    const before = await tx.run(() => audit.head());
    await expect(
      tx.run(async () => {
        await audit.append(event({ action: 'never.committed' }));
        throw new Error('the work failed after the append');
      }),
    ).rejects.toThrow('the work failed');
    expect(await tx.run(() => audit.head())).toEqual(before);
    const next = await tx.run(() => audit.append(event()));
    expect(next.seq).toBe(before.seq + 1n);
    expect(next.prevHash).toBe(before.hash);
  });

  it('refuses to append outside a transaction', async () => {
    await expect(audit.append(event())).rejects.toThrow('inside the transaction');
  });

  it('keeps the head trigger’s check inside one statement: it sees the event the statement inserted, and refuses a move onto any other', async () => {
    // The shape append uses, with a hash that does not match the inserted event's.
    const wrong = `
      WITH head AS MATERIALIZED (SELECT seq + 1 AS seq, hash AS prev_hash FROM audit_head WHERE id = 1 FOR UPDATE),
      event AS (INSERT INTO audit_events (seq, actor_type, action, outcome, prev_hash, hash)
                SELECT seq, 'user', 'forged', 'success', prev_hash, repeat('a', 64) FROM head RETURNING seq, hash)
      UPDATE audit_head SET seq = event.seq, hash = ${'$1'} FROM event WHERE audit_head.id = 1`;
    await expect(sql(db.url, wrong, ['b'.repeat(64)])).rejects.toThrow('audit_head moves only forward, one step, onto the event just appended');
    const right = wrong.replace(`hash = $1`, `hash = event.hash`).replace("'forged'", "'fine'").replace("repeat('a', 64)", '$1');
    await sql(db.url, right, ['c'.repeat(64)]);
    const [head] = await sql<{ hash: string }>(db.url, 'SELECT hash FROM audit_head');
    expect(head!.hash).toBe('c'.repeat(64));
  });
});

describe('transaction isolation and a busy pool', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  beforeAll(async () => {
    db = await createTestDatabase();
    // A server whose default is SERIALIZABLE for this database.
    await sql(db.url, `ALTER DATABASE ${db.name} SET default_transaction_isolation = 'serializable'`);
  });
  afterAll(async () => {
    await db.drop();
  });

  it('runs Berth’s transactions READ COMMITTED without a SET TRANSACTION per transaction, and another level when asked', async () => {
    const [plain] = await sql<{ level: string }>(db.url, 'SELECT current_setting(\'transaction_isolation\') AS level');
    expect(plain!.level).toBe('serializable');
    const prisma = new PrismaService({ url: db.url, poolSize: 2 });
    const tx = new TransactionHost(prisma);
    try {
      const level = () => tx.run(async () => (await tx.db.$queryRaw<Array<{ level: string }>>`SELECT current_setting('transaction_isolation') AS level`)[0]!.level);
      const sent: string[] = [];
      const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
      const original = proto.query;
      proto.query = function (this: unknown, ...args: unknown[]) {
        const first = args[0];
        sent.push(typeof first === 'string' ? first : ((first as { text?: string } | null)?.text ?? ''));
        return original.apply(this, args);
      };
      try {
        expect(await level()).toBe('read committed');
      } finally {
        proto.query = original;
      }
      expect(sent.filter((s) => /SET TRANSACTION/i.test(s))).toEqual([]);
      expect(sent.filter((s) => /^BEGIN/i.test(s))).toHaveLength(1);
      const serializable = await tx.run(async () => (await tx.db.$queryRaw<Array<{ level: string }>>`SELECT current_setting('transaction_isolation') AS level`)[0]!.level, {
        isolationLevel: 'Serializable',
      });
      expect(serializable).toBe('serializable');
      expect(await level()).toBe('read committed');
    } finally {
      await prisma.close();
    }
  });

  it('answers a transaction that finds no free connection in time with 503 unavailable and Retry-After, not an internal error', async () => {
    const prisma = new PrismaService({ url: db.url, poolSize: 1, transactionMaxWaitMs: 1000 });
    const tx = new TransactionHost(prisma);
    try {
      // The one connection, opened first, then held by a transaction.
      await tx.run(async () => tx.db.$queryRaw`SELECT 1`);
      const refused = await whileHeld(tx, () => tx.run(async () => 'never'));
      expect(refused).toMatchObject({ name: 'DomainError', code: 'unavailable', status: 503, options: { headers: { 'retry-after': '1' } } });
      // Once a connection is free again, transactions start as before.
      expect(await tx.run(async () => 'ran')).toBe('ran');
    } finally {
      await prisma.close();
    }
  });
});

/** Runs `attempt` while a transaction holds the pool's only connection; what it threw (or returned). */
async function whileHeld(tx: TransactionHost, attempt: () => Promise<unknown>): Promise<unknown> {
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  let started!: () => void;
  const holding = new Promise<void>((r) => (started = r));
  const holder = tx.run(
    async () => {
      await tx.db.$queryRaw`SELECT 1`;
      started();
      await held;
    },
    { timeout: 30_000 },
  );
  await Promise.race([holding, holder]);
  const outcome = await attempt().catch((e: unknown) => e);
  release();
  await holder;
  return outcome;
}

describe('a statement outside a transaction that finds no free connection in time', () => {
  it('answers 503 unavailable with Retry-After, not an internal error, and not never', async () => {
    const db = await createTestDatabase();
    const prisma = new PrismaService({ url: db.url, poolSize: 1, transactionMaxWaitMs: 500 });
    const tx = new TransactionHost(prisma);
    try {
      const refused = await whileHeld(tx, () => prisma.query({ name: 'test_busy', text: 'SELECT 1 AS one' }, []));
      expect(refused).toMatchObject({ name: 'DomainError', code: 'unavailable', status: 503, options: { headers: { 'retry-after': '1' } } });
      expect(await prisma.query<{ one: number }>({ name: 'test_busy', text: 'SELECT 1 AS one' }, [])).toEqual([{ one: 1 }]);
      // A Prisma query outside a transaction waits on the same pool: what reaches a transport
      // translates to the same 503 (it was pg's "timeout exceeded when trying to connect", a 500).
      for (const query of [() => prisma.client.team.findFirst(), () => prisma.client.$queryRaw`SELECT 1`]) {
        const prismaRefused = await whileHeld(tx, query);
        expect(toDomainError(prismaRefused)).toMatchObject({ name: 'DomainError', code: 'unavailable', status: 503, options: { headers: { 'retry-after': '1' } } });
      }
      expect(await prisma.client.team.count()).toBeGreaterThanOrEqual(0);
    } finally {
      await prisma.close();
      await db.drop();
    }
  });
});

describe('an audited request’s transaction', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(async () => {
    await app.close();
  });

  it('sends the audit append last before COMMIT, after the idempotency answer, and locks the head only there', async () => {
    const team = await newTeam(app);
    const byClient = new Map<unknown, string[]>();
    const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
    const original = proto.query;
    proto.query = function (this: unknown, ...args: unknown[]) {
      if (requestContext.get()?.requestId === 'req-critical-section') {
        const first = args[0];
        const text = typeof first === 'string' ? first : ((first as { text?: string } | null)?.text ?? '');
        byClient.set(this, [...(byClient.get(this) ?? []), text.trim()]);
      }
      return original.apply(this, args);
    };
    try {
      const res = await team.owner.client.post('/v1/apps', { name: 'critical', team: team.name }, { headers: { 'x-request-id': 'req-critical-section', 'idempotency-key': 'critical-1' } });
      expectStatus(res, 201);
    } finally {
      proto.query = original;
    }
    const transactions = [...byClient.values()].filter((statements) => statements.some((s) => /audit_head/.test(s)));
    expect(transactions).toHaveLength(1);
    const statements = transactions[0]!;
    const locking = statements.filter((s) => /audit_head/.test(s));
    expect(locking).toHaveLength(1);
    const at = statements.indexOf(locking[0]!);
    expect(statements[at + 1]).toBe('COMMIT');
    expect(statements.length).toBe(at + 2);
    expect(statements.slice(0, at).some((s) => /idempotency_records/.test(s))).toBe(true);
    expect(statements.filter((s) => /SET TRANSACTION/i.test(s))).toEqual([]);
    // One event, linked into a valid chain.
    const verify = expectStatus(await app.admin.get<{ valid: boolean }>('/v1/audit-events/verify'), 200).body;
    expect(verify.valid).toBe(true);
  });
});
