// The one place that holds the Prisma client. Repositories reach the database through
// TransactionHost.db, which is the open transaction when a service method runs inside one.
import { AsyncLocalStorage } from 'node:async_hooks';
import { PrismaPg } from '@prisma/adapter-pg';
import { Prisma, PrismaClient } from '../generated/prisma/client.js';

export type Db = PrismaClient | Prisma.TransactionClient;

export interface DatabaseOptions {
  url: string;
  poolSize: number;
}

export class PrismaService {
  readonly client: PrismaClient;

  constructor(options: DatabaseOptions) {
    const adapter = new PrismaPg({ connectionString: options.url, max: options.poolSize });
    this.client = new PrismaClient({ adapter });
  }

  async ping(): Promise<void> {
    await this.client.$queryRaw`SELECT 1`;
  }

  async close(): Promise<void> {
    await this.client.$disconnect();
  }
}

export interface TransactionOptions {
  isolationLevel?: Prisma.TransactionIsolationLevel;
  /** Milliseconds before Prisma gives up on the transaction. */
  timeout?: number;
}

export class TransactionHost {
  private readonly current = new AsyncLocalStorage<Prisma.TransactionClient>();
  private readonly afterCommit = new AsyncLocalStorage<Array<() => void>>();

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
    const hooks: Array<() => void> = [];
    const result = await this.prisma.client.$transaction((tx) => this.afterCommit.run(hooks, () => this.current.run(tx, fn)), {
      isolationLevel: options.isolationLevel ?? Prisma.TransactionIsolationLevel.ReadCommitted,
      timeout: options.timeout ?? 15_000,
      maxWait: 10_000,
    });
    for (const hook of hooks) hook();
    return result;
  }

  /** Runs hook once the enclosing transaction has committed (immediately when there is none). */
  onCommit(hook: () => void): void {
    const hooks = this.afterCommit.getStore();
    if (hooks && this.inTransaction) hooks.push(hook);
    else hook();
  }
}
