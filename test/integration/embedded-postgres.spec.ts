// The embedded PostgreSQL (PGlite behind a wire-protocol server) must behave like a real server for
// several connections at once: each connection its own statements, its own LISTENs, and no
// interleaving of one connection's protocol messages with another's.
import { connect, type Socket } from 'node:net';
import pg from 'pg';
import { parse, serialize } from 'pg-protocol';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../src/database/embedded-postgres.js';
import { eventually } from '../support/sandbox.js';

describe('embedded PostgreSQL', () => {
  let embedded: EmbeddedPostgres;
  let pool: pg.Pool;

  beforeAll(async () => {
    embedded = await startEmbeddedPostgres({ dataDir: undefined });
    pool = new pg.Pool({ connectionString: embedded.url, max: 4 });
  });

  afterAll(async () => {
    await pool.end();
    await embedded.stop();
  });

  it("never runs another connection's query between one connection's Parse and Bind", async () => {
    // A client may send Parse, then Bind/Execute/Sync in a later write (large parameters arrive
    // in several TCP chunks). If another connection's query runs in between, it replaces the
    // unnamed statement and the first connection binds its parameters to the wrong query: the
    // "invalid input syntax for type bigint" the job worker died of on the embedded default.
    const a = await RawConnection.open(embedded.url);
    try {
      a.send(serialize.parse({ text: 'SELECT length($1::text)::text AS v', types: [] }), serialize.flush());
      await a.until('parseComplete');
      // Another connection's query, started while the first is between Parse and Bind.
      const other = pool.query<{ v: string }>('SELECT ($1::bigint + 1)::text AS v', [1]);
      await Promise.race([other, new Promise((resolve) => setTimeout(resolve, 300))]);
      a.send(serialize.bind({ values: ['abc'] }), serialize.execute({}), serialize.sync());
      await a.until('readyForQuery');
      expect({ rows: a.rows, errors: a.errors }).toEqual({ rows: ['3'], errors: [] });
      expect((await other).rows[0]?.v).toBe('2');
    } finally {
      a.close();
    }
  });

  it('gives every connection its own named prepared statements', async () => {
    const a = await pool.connect();
    const b = await pool.connect();
    try {
      const first = await a.query<{ v: number }>({ name: 'same_name', text: 'SELECT $1::int AS v', values: [1] });
      const second = await b.query<{ v: string }>({ name: 'same_name', text: 'SELECT $1::text AS v', values: ['two'] });
      const again = await a.query<{ v: number }>({ name: 'same_name', text: 'SELECT $1::int AS v', values: [3] });
      expect([first.rows[0]?.v, second.rows[0]?.v, again.rows[0]?.v]).toEqual([1, 'two', 3]);
    } finally {
      a.release();
      b.release();
    }
  });

  it('delivers a committed NOTIFY to the connection that LISTENs, not to the one that notified', async () => {
    const listener = new pg.Client({ connectionString: embedded.url });
    await listener.connect();
    try {
      const heard: string[] = [];
      listener.on('notification', (message) => heard.push(`${message.channel}:${message.payload ?? ''}`));
      await listener.query('LISTEN berth_test');
      const writer = await pool.connect();
      const writerHeard: string[] = [];
      writer.on('notification', (message) => writerHeard.push(message.payload ?? ''));
      try {
        await writer.query('BEGIN');
        await writer.query("SELECT pg_notify('berth_test', $1)", ['hello']);
        await writer.query('COMMIT');
      } finally {
        writer.release();
      }
      await eventually(async () => (heard.length ? true : undefined), 'the notification');
      expect(heard).toEqual(['berth_test:hello']);
      expect(writerHeard).toEqual([]);
    } finally {
      await listener.end();
    }
  });

  it('serves the others after a connection that failed mid-sequence goes away before its Sync', async () => {
    const broken = await RawConnection.open(embedded.url);
    broken.send(serialize.parse({ text: 'SELEKT 1', types: [] }), serialize.flush());
    await broken.until('error');
    broken.close();
    const { rows } = await pool.query<{ v: string }>('SELECT $1::text AS v', ['still served']);
    expect(rows[0]?.v).toBe('still served');
  });

  it('rolls back the open transaction of a connection that goes away, and serves the others', async () => {
    await pool.query('CREATE TABLE IF NOT EXISTS t_abandoned (v int)');
    const quitter = await RawConnection.open(embedded.url);
    quitter.send(serialize.query('BEGIN; INSERT INTO t_abandoned VALUES (1)'));
    await quitter.until('readyForQuery');
    quitter.close();
    const { rows } = await pool.query<{ n: string }>('SELECT count(*)::text AS n FROM t_abandoned');
    expect(rows[0]?.n).toBe('0');
  });
});

/** A bare wire-protocol client: sends exactly the messages a test writes, when it writes them. */
class RawConnection {
  readonly rows: string[] = [];
  readonly errors: string[] = [];
  private waiters: Array<{ name: string; resolve: () => void }> = [];

  private constructor(private readonly socket: Socket) {
    void parse(socket, (message) => {
      const m = message as unknown as { name: string; fields?: unknown[]; message?: string };
      if (m.name === 'dataRow') this.rows.push(String(m.fields?.[0]));
      if (m.name === 'error') this.errors.push(String(m.message));
      const index = this.waiters.findIndex((w) => w.name === m.name);
      if (index >= 0) this.waiters.splice(index, 1)[0]!.resolve();
    });
  }

  static async open(url: string): Promise<RawConnection> {
    const { hostname, port } = new URL(url);
    const socket = connect(Number(port), hostname);
    const connection = new RawConnection(socket);
    const ready = connection.until('readyForQuery');
    socket.write(serialize.startup({ user: 'postgres', database: 'postgres' }));
    await ready;
    return connection;
  }

  send(...messages: Buffer[]): void {
    this.socket.write(Buffer.concat(messages));
  }

  until(name: string): Promise<void> {
    return new Promise((resolve) => this.waiters.push({ name, resolve }));
  }

  close(): void {
    this.socket.destroy();
  }
}
