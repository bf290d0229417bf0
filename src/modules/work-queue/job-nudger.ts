// One LISTEN per replica for new jobs, waking as many idle workers as jobs were added.
//
// Berth runs one graphile-worker pool per worker (each needs a worker id of its own, see
// worker-leases.ts), and each pool LISTENs on a connection of its own and wakes its worker for
// every job inserted. With eight workers, every new job woke every idle worker; all but one of them
// ran the claiming query and found nothing (four empty fetches per job found in the fan-out bench).
// Here the pools' own LISTENs are dropped (their "worker:migrate" one is kept) and this single
// listener nudges idle workers through graphile-worker's public Worker.nudge(). While it is not
// connected, the workers' own polls (pollInterval) still find every job: slower, never lost.
import type { Worker, WorkerEvents } from 'graphile-worker';
import type pg from 'pg';

const CHANNEL = 'jobs:insert';
const MAX_RETRY_MS = 30_000;

export interface NudgerLog {
  warn(context: Record<string, unknown>, message: string): void;
}

export class JobNudger {
  private readonly workers = new Set<Worker>();
  private client: pg.PoolClient | undefined;
  private retry: NodeJS.Timeout | undefined;
  private attempts = 0;
  private stopped = false;

  constructor(
    private readonly pool: pg.Pool,
    events: WorkerEvents,
    private readonly log: NudgerLog,
  ) {
    events.on('worker:create', ({ worker }) => this.workers.add(worker));
    events.on('worker:release', ({ worker }) => this.workers.delete(worker));
    events.on('worker:stop', ({ worker }) => this.workers.delete(worker));
    // graphile-worker issues its LISTEN right after this event, on the same connection; queries
    // on one connection run in order, so the UNLISTEN queued after it undoes it. The same happens
    // when the runner reconnects its listener.
    events.on('pool:listen:success', ({ client }) => {
      queueMicrotask(() => void client.query(`UNLISTEN "${CHANNEL}"`).catch(() => undefined));
    });
  }

  async start(): Promise<void> {
    this.stopped = false;
    await this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retry);
    const client = this.client;
    this.client = undefined;
    if (!client) return;
    await client.query(`UNLISTEN "${CHANNEL}"`).catch(() => undefined);
    client.release();
  }

  private async connect(): Promise<void> {
    let client: pg.PoolClient | undefined;
    try {
      client = await this.pool.connect();
      client.on('notification', (message) => this.onNotification(message));
      const connected = client;
      client.on('error', (error) => this.lost(connected, error));
      await client.query(`LISTEN "${CHANNEL}"`);
      if (this.stopped) {
        client.release();
        return;
      }
      this.client = client;
      // Jobs added while nobody listened: let every idle worker look once.
      if (this.attempts > 0) this.nudge(Number.POSITIVE_INFINITY);
      this.attempts = 0;
    } catch (error) {
      this.lost(client, error);
    }
  }

  private lost(client: pg.PoolClient | undefined, error: unknown): void {
    if (client) {
      if (this.client === client) this.client = undefined;
      client.release(error instanceof Error ? error : true);
    }
    if (this.stopped) return;
    const delay = Math.min(MAX_RETRY_MS, 100 * 2 ** this.attempts);
    this.attempts += 1;
    this.log.warn({ err: error, retryInMs: delay }, 'lost the connection listening for new jobs; workers poll meanwhile');
    this.retry = setTimeout(() => void this.connect(), delay);
    this.retry.unref();
  }

  private onNotification(message: pg.Notification): void {
    if (message.channel !== CHANNEL) return;
    // add_job says how many jobs it inserted ({"count": n}); graphile-worker reads it the same way.
    let count = 1;
    try {
      const parsed = JSON.parse(message.payload ?? '') as { count?: unknown };
      if (typeof parsed.count === 'number') count = parsed.count;
    } catch {
      // An empty payload (older add_job): one job.
    }
    if (count > 0) this.nudge(count);
  }

  /**
   * Wakes up to `count` idle workers. A worker running a job is skipped: it asks for the next job as
   * soon as it finishes anyway (nudging it would only make it ask once more). One in the middle of a
   * fetch is nudged, so it looks again if that fetch missed the new job.
   */
  private nudge(count: number): void {
    let left = count;
    for (const worker of this.workers) {
      if (left <= 0) return;
      if (worker.getActiveJob()) continue;
      try {
        if (worker.nudge()) left -= 1;
      } catch {
        // Released between its release event and now: not a worker to wake.
        this.workers.delete(worker);
      }
    }
  }
}
