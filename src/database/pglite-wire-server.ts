// Serves one PGlite database over the PostgreSQL wire protocol to many connections, each seeing a
// session of its own as far as Berth's clients can tell. PGlite has exactly one backend session,
// which @electric-sql/pglite-socket shares between connections message by message; three things
// then break with several clients (the job worker, Prisma's pool, the LISTEN connection):
// - another connection's message could run between one connection's Parse and its Bind, binding
//   parameters to the wrong statement ("invalid input syntax for type bigint", a job row read as
//   "Unsupported task 'undefined'");
// - named prepared statements collided ("prepared statement … already exists");
// - NOTIFY output went to whichever connection's query happened to be running, so LISTENing
//   clients (GraphQL subscriptions) never heard anything.
// Here a connection owns the backend from its first message until the backend is idle again
// (ReadyForQuery "I": after Sync or a simple query, outside a transaction), statement and portal
// names are made per connection, and notifications go to the connections that LISTEN.
import { createServer, type Server, type Socket } from 'node:net';
import type { PGlite } from '@electric-sql/pglite';

const SSL_REQUEST = 80877103;
const CANCEL_REQUEST = 80877102;
const GSSENC_REQUEST = 80877104;
const SYNC = Buffer.from([0x53, 0, 0, 0, 4]);

interface Session {
  readonly id: number;
  readonly socket: Socket;
  readonly listening: Set<string>;
  readonly statements: Set<string>;
  buffer: Buffer;
  started: boolean;
  closed: boolean;
  /** Messages are handled strictly in order, one at a time. */
  chain: Promise<void>;
}

export class PgliteWireServer {
  private server: Server | undefined;
  private readonly sessions = new Set<Session>();
  private nextId = 1;
  /** The session that owns the backend, and those waiting for it in arrival order. */
  private owner: Session | undefined;
  private readonly waiting: Array<{ session: Session; resolve: () => void }> = [];

  constructor(private readonly db: PGlite) {}

  async listen(host: string, port: number): Promise<number> {
    const server = createServer((socket) => this.accept(socket));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    const address = server.address();
    if (!address || typeof address === 'string') throw new Error('the embedded database did not get a port');
    return address.port;
  }

  async close(): Promise<void> {
    for (const session of this.sessions) session.socket.destroy();
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
    // Let the sessions' clean-up (rollback of open transactions) finish before PGlite closes.
    await Promise.all([...this.sessions].map((session) => session.chain));
  }

  private accept(socket: Socket): void {
    socket.setNoDelay(true);
    const session: Session = {
      id: this.nextId++,
      socket,
      listening: new Set(),
      statements: new Set(),
      buffer: Buffer.alloc(0),
      started: false,
      closed: false,
      chain: Promise.resolve(),
    };
    this.sessions.add(session);
    socket.on('data', (data) => {
      session.buffer = Buffer.concat([session.buffer, data]);
      for (const message of this.takeMessages(session)) this.enqueue(session, () => this.handle(session, message));
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      if (session.closed) return;
      session.closed = true;
      this.enqueue(session, () => this.cleanUp(session));
    });
  }

  private enqueue(session: Session, step: () => Promise<void>): void {
    session.chain = session.chain.then(step).catch(() => {
      session.socket.destroy();
    });
  }

  /** Splits the complete messages off the session's buffer (startup messages have no type byte). */
  private takeMessages(session: Session): Buffer[] {
    const messages: Buffer[] = [];
    for (;;) {
      const buffer = session.buffer;
      if (!session.started) {
        if (buffer.length < 8) break;
        const length = buffer.readInt32BE(0);
        if (buffer.length < length) break;
        const code = buffer.readInt32BE(4);
        session.buffer = buffer.subarray(length);
        if (code === SSL_REQUEST || code === GSSENC_REQUEST) {
          session.socket.write('N');
          continue;
        }
        if (code === CANCEL_REQUEST) {
          // Cancellation is not supported by PGlite; a real server may also ignore it.
          session.socket.end();
          break;
        }
        session.started = true;
        messages.push(buffer.subarray(0, length));
        continue;
      }
      if (buffer.length < 5) break;
      const length = 1 + buffer.readInt32BE(1);
      if (buffer.length < length) break;
      messages.push(buffer.subarray(0, length));
      session.buffer = buffer.subarray(length);
    }
    return messages;
  }

  private async handle(session: Session, message: Buffer): Promise<void> {
    if (session.closed) return;
    const type = String.fromCharCode(message[0]!);
    if (type === 'X') {
      session.socket.end();
      return;
    }
    this.trackListen(session, type, message);
    await this.acquire(session);
    const output = await this.exec(this.rename(session, type, message));
    const { forward, notifications, idle } = splitOutput(output);
    if (forward.length && !session.closed) session.socket.write(forward);
    if (idle) this.release(session);
    for (const notification of notifications) this.deliver(notification);
  }

  private async exec(message: Uint8Array): Promise<Buffer> {
    const chunks: Uint8Array[] = [];
    await this.db.runExclusive(() => this.db.execProtocolRawStream(message, { onRawData: (chunk) => chunks.push(chunk.slice()) }));
    return Buffer.concat(chunks);
  }

  /** A connection that goes away mid-transaction must not leave the backend in its transaction. */
  private async cleanUp(session: Session): Promise<void> {
    this.sessions.delete(session);
    const waiter = this.waiting.findIndex((w) => w.session === session);
    if (waiter >= 0) this.waiting.splice(waiter, 1);
    if (this.owner !== session && session.statements.size === 0) return;
    const midSequence = this.owner === session;
    await this.acquire(session);
    try {
      // A client that went away between Parse and Sync may have left the backend skipping
      // messages after an error: a Sync ends that (and any implicit transaction).
      if (midSequence) await this.exec(SYNC);
      if (this.db.isInTransaction()) await this.db.exec('ROLLBACK');
      for (const name of session.statements) await this.db.exec(`DEALLOCATE ${quoteIdent(name)}`).catch(() => undefined);
    } finally {
      this.release(session);
    }
  }

  private acquire(session: Session): Promise<void> {
    if (this.owner === session) return Promise.resolve();
    if (!this.owner) {
      this.owner = session;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push({ session, resolve }));
  }

  private release(session: Session): void {
    if (this.owner !== session) return;
    const next = this.waiting.shift();
    this.owner = next?.session;
    next?.resolve();
  }

  private deliver(notification: { channel: string; message: Buffer }): void {
    for (const session of this.sessions) {
      if (!session.closed && session.listening.has(notification.channel)) session.socket.write(notification.message);
    }
  }

  /** LISTEN/UNLISTEN are session state: remember which connection asked. */
  private trackListen(session: Session, type: string, message: Buffer): void {
    let text: string | undefined;
    if (type === 'Q') text = readCString(message, 5).value;
    else if (type === 'P') text = readCString(message, readCString(message, 5).next).value;
    if (!text) return;
    const listen = /^\s*LISTEN\s+("?)([A-Za-z_][\w$]*)\1\s*;?\s*$/i.exec(text);
    if (listen) session.listening.add(listen[2]!);
    const unlisten = /^\s*UNLISTEN\s+(\*|("?)([A-Za-z_][\w$]*)\2)\s*;?\s*$/i.exec(text);
    if (unlisten) {
      if (unlisten[1] === '*') session.listening.clear();
      else session.listening.delete(unlisten[3]!);
    }
  }

  /** Gives named statements and portals a per-connection name (the unnamed ones stay unnamed). */
  private rename(session: Session, type: string, message: Buffer): Buffer {
    const prefix = `c${session.id}_`;
    const renameAt = (msg: Buffer, offset: number, isStatement: boolean): { msg: Buffer; next: number } => {
      const { value, next } = readCString(msg, offset);
      if (!value) return { msg, next };
      if (isStatement) session.statements.add(prefix + value);
      const name = Buffer.from(prefix + value + '\0');
      const rebuilt = Buffer.concat([msg.subarray(0, offset), name, msg.subarray(next)]);
      rebuilt.writeInt32BE(rebuilt.length - 1, 1);
      return { msg: rebuilt, next: offset + name.length };
    };
    switch (type) {
      case 'P': // Parse: statement name, query, parameter types
        return renameAt(message, 5, true).msg;
      case 'B': {
        // Bind: portal name, statement name, …
        const portal = renameAt(message, 5, false);
        return renameAt(portal.msg, portal.next, false).msg;
      }
      case 'E': // Execute: portal name, row limit
        return renameAt(message, 5, false).msg;
      case 'D':
      case 'C': {
        // Describe / Close: 'S' (statement) or 'P' (portal), then the name
        const isStatement = message[5] === 0x53;
        const renamed = renameAt(message, 6, false).msg;
        if (type === 'C' && isStatement) session.statements.delete(prefix + readCString(message, 6).value);
        return renamed;
      }
      default:
        return message;
    }
  }
}

/** Separates NotificationResponse messages from the rest and notes whether the backend is idle. */
function splitOutput(output: Buffer): { forward: Buffer; notifications: Array<{ channel: string; message: Buffer }>; idle: boolean } {
  const keep: Buffer[] = [];
  const notifications: Array<{ channel: string; message: Buffer }> = [];
  let idle = false;
  let offset = 0;
  while (offset + 5 <= output.length) {
    const type = output[offset];
    const length = 1 + output.readInt32BE(offset + 1);
    const message = output.subarray(offset, offset + length);
    if (type === 0x41) {
      // 'A': int32 pid, channel, payload
      notifications.push({ channel: readCString(message, 9).value, message });
    } else {
      keep.push(message);
      // 'Z' ReadyForQuery: 'I' idle, 'T' in a transaction, 'E' in a failed transaction
      if (type === 0x5a) idle = message[5] === 0x49;
    }
    offset += length;
  }
  if (offset < output.length) keep.push(output.subarray(offset));
  return { forward: Buffer.concat(keep), notifications, idle };
}

function readCString(buffer: Buffer, offset: number): { value: string; next: number } {
  const end = buffer.indexOf(0, offset);
  if (end < 0) return { value: '', next: buffer.length };
  return { value: buffer.toString('utf8', offset, end), next: end + 1 };
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
