// The one place that holds the Prisma client. Repositories reach the database through
// TransactionHost.db, which is the open transaction when a service method runs inside one.
import { AsyncLocalStorage } from 'node:async_hooks';
import { Logger } from '@nestjs/common';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { DomainError } from '../common/errors/domain-error.js';
import { Prisma, PrismaClient } from '../generated/prisma/client.js';
import { withReadCommittedDefault } from './session-defaults.js';

export type Db = PrismaClient | Prisma.TransactionClient;

const logger = new Logger('Database');

export interface DatabaseOptions {
  url: string;
  poolSize: number;
  /** Milliseconds a transaction may wait for a connection (default 10 s). */
  transactionMaxWaitMs?: number;
}

export class PrismaService {
  readonly client: PrismaClient;

  /** How long a transaction waits for a pooled connection before the request is answered 503. */
  readonly transactionMaxWaitMs: number;

  private readonly pool: pg.Pool;

  constructor(options: DatabaseOptions) {
    this.transactionMaxWaitMs = options.transactionMaxWaitMs ?? 10_000;
    // A statement waiting for a connection gives up too (a second after a transaction would), so an
    // exhausted pool answers 503 rather than leaving requests waiting without end.
    this.pool = new BusyAwarePool({ ...withReadCommittedDefault(options.url), max: options.poolSize, connectionTimeoutMillis: this.transactionMaxWaitMs + 1000 });
    // An idle connection dropped by the server (a restart, a failover) must not crash the process:
    // the pool replaces it on the next query.
    this.pool.on('error', (error) => logger.warn({ err: error }, 'idle database connection lost'));
    this.client = new PrismaClient({ adapter: new PrismaPg(this.pool) });
  }

  /**
   * One prepared statement on the pool, outside Prisma and outside any open transaction: for the
   * per-request hot path (authentication, rate limits), where Prisma's query compilation and result
   * mapping cost more CPU than the statement itself (docs/performance.md, Profiles). The name makes
   * PostgreSQL parse and plan it once per connection.
   */
  async query<T extends pg.QueryResultRow>(statement: { name: string; text: string }, values: unknown[]): Promise<T[]> {
    return (await this.pool.query<T>({ name: statement.name, text: statement.text, values })).rows;
  }

  async ping(): Promise<void> {
    await this.client.$queryRaw`SELECT 1`;
  }

  async close(): Promise<void> {
    await this.client.$disconnect();
    if (!this.pool.ending && !this.pool.ended) await this.pool.end();
  }
}

/**
 * A pool whose wait for a free connection ends in the domain's 503 (busy, retry shortly) rather than
 * pg's "timeout exceeded when trying to connect", which reached clients as a 500: every statement
 * outside a transaction waits here, Prisma's and the prepared ones alike. pg-pool's own query()
 * takes its connection through connect(), so both paths come through this override.
 */
class BusyAwarePool extends pg.Pool {
  override connect(): Promise<pg.PoolClient>;
  override connect(callback: (err: Error | undefined, client: pg.PoolClient | undefined, done: (release?: unknown) => void) => void): void;
  override connect(callback?: (err: Error | undefined, client: pg.PoolClient | undefined, done: (release?: unknown) => void) => void): Promise<pg.PoolClient> | void {
    if (callback) return super.connect((err, client, done) => callback(err && isConnectTimeout(err) ? busy() : err, client, done));
    return super.connect().catch((err: unknown) => {
      throw isConnectTimeout(err) ? busy() : err;
    });
  }
}

function isConnectTimeout(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith('timeout exceeded when trying to connect');
}

export interface TransactionOptions {
  isolationLevel?: Prisma.TransactionIsolationLevel;
  /** Milliseconds before Prisma gives up on the transaction. */
  timeout?: number;
}

export class TransactionHost {
  private readonly current = new AsyncLocalStorage<Prisma.TransactionClient>();

  constructor(private readonly prisma: PrismaService) {}

  /** The open transaction, or the pool when none is open. */
  get db(): Db {
    return this.current.getStore() ?? this.prisma.client;
  }

  get inTransaction(): boolean {
    return this.current.getStore() !== undefined;
  }

  /**
   * Runs fn in one transaction; nested calls join the outer one, so a service method and
   * everything it records (audit, queued work) commit or roll back together.
   */
  async run<T>(fn: () => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    if (this.inTransaction) return fn();
    try {
      return await this.prisma.client.$transaction((tx) => this.current.run(tx, fn), {
        // READ COMMITTED is every connection's default (session-defaults.ts): naming it here would
        // cost a `SET TRANSACTION` round trip per transaction. Another level is asked for explicitly.
        ...(options.isolationLevel ? { isolationLevel: options.isolationLevel } : {}),
        timeout: options.timeout ?? 15_000,
        maxWait: this.prisma.transactionMaxWaitMs,
      });
    } catch (error) {
      if (isTransactionStartTimeout(error)) {
        // Every pooled connection stayed busy for maxWait: overload, not a fault. The caller may
        // retry (nothing was done), so it gets 503 with Retry-After rather than a 500.
        throw busy();
      }
      throw error;
    }
  }
}

/**
 * Every pooled connection stayed busy: overload, not a fault; nothing was done, so the caller may
 * retry. Prisma re-wraps it (keeping its code) when a Prisma query meets it: see busyDatabase.
 */
function busy(): DomainError {
  return new DomainError('unavailable', 'the database is busy: no connection became free in time; retry shortly', { headers: { 'retry-after': '1' } });
}

/** Prisma's "Transaction API error: Unable to start a transaction in the given time." (P2028). */
function isTransactionStartTimeout(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2028' && error.message.includes('Unable to start a transaction');
}
