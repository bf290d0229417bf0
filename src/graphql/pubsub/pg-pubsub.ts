// Events that cross Berth replicas: writers NOTIFY inside their transaction (so listeners hear only
// committed changes) and every replica LISTENs on one dedicated connection. Payloads carry ids
// only (NOTIFY payloads are capped at 8000 bytes); subscribers fetch the rest through the services.
import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import pg from 'pg';
import { DATABASE_URL } from '../../database/database.module.js';
import type { Db } from '../../database/prisma.service.js';

export const CHANNELS = {
  audit: 'berth_audit',
  releaseStatus: 'berth_release_status',
  environmentStatus: 'berth_environment_status',
} as const;

export type Channel = (typeof CHANNELS)[keyof typeof CHANNELS];

/** NOTIFY in the caller's transaction (or at once when there is none). */
export async function notify(db: Db, channel: Channel, payload: Record<string, string | number | null>): Promise<void> {
  await db.$executeRaw`SELECT pg_notify(${channel}, ${JSON.stringify(payload)})`;
}

type Listener = (payload: Record<string, unknown>) => void;

@Injectable()
export class PgPubSub implements OnApplicationShutdown {
  private readonly logger = new Logger('PgPubSub');
  private client: pg.Client | undefined;
  private connecting: Promise<pg.Client> | undefined;
  private readonly listeners = new Map<string, Set<Listener>>();

  constructor(@Inject(DATABASE_URL) private readonly databaseUrl: string) {}

  /** An async iterator of the channel's payloads that `accept` keeps; ends when the consumer returns. */
  async subscribe<T>(channel: Channel, map: (payload: Record<string, unknown>) => Promise<T | undefined>): Promise<AsyncIterableIterator<T>> {
    const queue: T[] = [];
    let wake: (() => void) | undefined;
    let done = false;
    let chain = Promise.resolve();
    const listener: Listener = (payload) => {
      // Keep order: map (which may query) one payload at a time.
      chain = chain.then(async () => {
        const value = await map(payload).catch((err: unknown) => {
          this.logger.warn({ err }, 'dropping an event the subscriber could not load');
          return undefined;
        });
        if (value !== undefined && !done) {
          queue.push(value);
          wake?.();
        }
      });
    };
    await this.listen(channel, listener);
    const stop = () => {
      done = true;
      this.listeners.get(channel)?.delete(listener);
      wake?.();
    };
    const iterator: AsyncIterableIterator<T> = {
      next: async () => {
        while (!done && queue.length === 0) await new Promise<void>((resolve) => (wake = resolve));
        if (queue.length) return { value: queue.shift()!, done: false };
        return { value: undefined, done: true };
      },
      return: async () => {
        stop();
        return { value: undefined, done: true };
      },
      [Symbol.asyncIterator]() {
        return iterator;
      },
    };
    return iterator;
  }

  private async listen(channel: Channel, listener: Listener): Promise<void> {
    const client = await this.connection();
    let set = this.listeners.get(channel);
    if (!set) {
      set = new Set();
      this.listeners.set(channel, set);
      await client.query(`LISTEN ${channel}`);
    }
    set.add(listener);
  }

  private connection(): Promise<pg.Client> {
    this.connecting ??= (async () => {
      const client = new pg.Client({ connectionString: this.databaseUrl });
      client.on('notification', (message) => this.dispatch(message.channel, message.payload));
      client.on('error', (err) => {
        this.logger.error({ err }, 'LISTEN connection failed; subscriptions stop until reconnect');
        this.reset();
      });
      await client.connect();
      this.client = client;
      return client;
    })();
    return this.connecting;
  }

  private reset(): void {
    this.connecting = undefined;
    this.client = undefined;
    this.listeners.clear();
  }

  private dispatch(channel: string, payload: string | undefined): void {
    let parsed: Record<string, unknown>;
    try {
      parsed = JSON.parse(payload ?? '{}') as Record<string, unknown>;
    } catch {
      return;
    }
    for (const listener of this.listeners.get(channel) ?? []) listener(parsed);
  }

  async onApplicationShutdown(): Promise<void> {
    const client = this.client;
    this.reset();
    await client?.end().catch(() => undefined);
  }
}
