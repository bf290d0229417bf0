// Background work on graphile-worker: every Berth replica runs workers that claim jobs from
// PostgreSQL (SKIP LOCKED inside the library), so there is no leader and no other broker.
// Handlers signal "try again later" by throwing RetryLater; the queue reschedules with exponential
// backoff and full jitter, or at the time the failure asked for (e.g. a 429's Retry-After).
import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { Logger as WorkerLogger, run, runMigrations, type Runner, type Task } from 'graphile-worker';
import pg from 'pg';
import { BERTH_CONFIG, type BerthConfig } from '../../config/config.js';
import { DATABASE_URL } from '../../database/database.module.js';
import { TransactionHost } from '../../database/prisma.service.js';
import { MetricsService } from '../../common/metrics/metrics.service.js';
import { ShutdownDrainers } from '../../lifecycle/drainers.js';
import { WorkQueueRepository, type EnqueueOptions } from './work-queue.repository.js';

export class RetryLater extends Error {
  constructor(
    message: string,
    /** When the failure says when to come back (Retry-After); otherwise backoff decides. */
    readonly afterMs?: number,
  ) {
    super(message);
    this.name = 'RetryLater';
  }
}

export type JobHandler = (payload: Record<string, unknown>, attempt: number) => Promise<void>;

const MAX_BACKOFF_MS = 5 * 60_000;

export function backoffMs(attempt: number, random: () => number = Math.random): number {
  return Math.floor(random() * Math.min(MAX_BACKOFF_MS, 500 * 2 ** Math.min(attempt, 20)));
}

@Injectable()
export class WorkQueueService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('WorkQueue');
  private readonly handlers = new Map<string, JobHandler>();
  private runner: Runner | undefined;
  private pool: pg.Pool | undefined;

  constructor(
    private readonly jobs: WorkQueueRepository,
    private readonly tx: TransactionHost,
    @Inject(BERTH_CONFIG) private readonly config: BerthConfig,
    @Inject(DATABASE_URL) private readonly databaseUrl: string,
    private readonly drainers: ShutdownDrainers,
    private readonly metrics: MetricsService,
  ) {}

  onModuleInit(): void {
    // On SIGTERM: stop claiming, let running jobs finish (bounded by the shutdown deadline); jobs
    // not started stay in the table for the other replicas, and graphile-worker releases the locks
    // of a process that died, so a SIGKILL loses nothing either.
    this.drainers.register({ name: 'work-queue', drain: () => this.stop() });
    if (this.config.workersEnabled) this.metrics.registerQueueStats(() => this.stats());
  }

  register(task: string, handler: JobHandler): void {
    this.handlers.set(task, handler);
  }

  /** Enqueue in the current transaction (see WorkQueueRepository.enqueue). */
  async enqueue(task: string, payload: Record<string, unknown>, options?: EnqueueOptions): Promise<void> {
    await this.jobs.enqueue(task, { ...payload, attempt: payload.attempt ?? 0 }, options);
  }

  stats(): Promise<{ depth: number; oldestAgeSeconds: number }> {
    return this.jobs.stats();
  }

  /** Installs graphile-worker's schema; run before anything enqueues. */
  static async migrate(databaseUrl: string): Promise<void> {
    await runMigrations({ connectionString: databaseUrl, logger: quietLogger() });
  }

  async start(): Promise<void> {
    if (this.runner || this.handlers.size === 0) return;
    const taskList: Record<string, Task> = {};
    for (const [name, handler] of this.handlers) taskList[name] = (payload) => this.runHandler(name, handler, payload as Record<string, unknown>);
    // Our own pool, so a connection the server drops (restart, failover) is logged, not fatal.
    this.pool = new pg.Pool({ connectionString: this.databaseUrl, max: this.config.workerConcurrency + 2 });
    this.pool.on('error', (error) => this.logger.warn({ err: error }, 'work queue lost an idle database connection'));
    this.runner = await run({
      pgPool: this.pool,
      concurrency: this.config.workerConcurrency,
      pollInterval: 1000,
      noHandleSignals: true,
      taskList,
      parsedCronItems: [],
      logger: quietLogger(),
    });
  }

  /** Stops claiming work and waits for running jobs; unfinished jobs stay queued for any replica. */
  async stop(): Promise<void> {
    const runner = this.runner;
    const pool = this.pool;
    this.runner = undefined;
    this.pool = undefined;
    await runner?.stop();
    if (pool && !pool.ending && !pool.ended) await pool.end();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.stop();
  }

  private async runHandler(task: string, handler: JobHandler, payload: Record<string, unknown>): Promise<void> {
    const attempt = typeof payload.attempt === 'number' ? payload.attempt : 0;
    try {
      await handler(payload, attempt);
    } catch (error) {
      if (!(error instanceof RetryLater)) throw error;
      const delay = error.afterMs ?? backoffMs(attempt);
      this.logger.warn({ task, attempt, delayMs: delay, reason: error.message }, 'job will retry');
      await this.tx.run(() =>
        this.jobs.enqueue(task, { ...payload, attempt: attempt + 1 }, { jobKey: typeof payload.jobKey === 'string' ? payload.jobKey : undefined, runAt: new Date(Date.now() + delay) }),
      );
    }
  }
}

function quietLogger(): WorkerLogger {
  const logger = new Logger('graphile-worker');
  return new WorkerLogger(() => (level, message) => {
    if (level === 'error') logger.error(message);
    else if (level === 'warning') logger.warn(message);
  });
}
