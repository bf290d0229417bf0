// Background work on graphile-worker: every Berth replica runs workers that claim jobs from
// PostgreSQL (SKIP LOCKED inside the library), so there is no leader and no other broker.
// Handlers signal "try again later" by throwing RetryLater; the queue reschedules with exponential
// backoff and full jitter, or at the time the failure asked for (e.g. a 429's Retry-After).
// Jobs of a replica that died are handed back within seconds (worker-leases.ts). Jobs about a
// cluster run only on the replica that owns it: workers skip the flags JobRouting forbids.
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { Logger as WorkerLogger, runMigrations, runTaskList, type Task, type WorkerEvents, type WorkerPool, type WorkerPoolOptions } from 'graphile-worker';
import pg from 'pg';
import { BERTH_CONFIG, type BerthConfig } from '../../config/config.js';
import { DATABASE_URL } from '../../database/database.module.js';
import { TransactionHost } from '../../database/prisma.service.js';
import { MetricsService } from '../../common/metrics/metrics.service.js';
import { ShutdownDrainers } from '../../lifecycle/drainers.js';
import { JobRouting } from './job-routing.port.js';
import { jobSpecs, type JobRequest, type JobSpecs } from './job-specs.js';
import { SerialKeys } from './serial-keys.js';
import { WorkQueueRepository, type EnqueueOptions } from './work-queue.repository.js';
import { WorkerLeases } from './worker-leases.js';

export class RetryLater extends Error {
  constructor(
    message: string,
    /** When the failure says when to come back (Retry-After); otherwise backoff decides. */
    readonly afterMs?: number,
    /** An expected hand-off (e.g. to the replica owning a cluster), not a failure: logged at debug. */
    readonly expected = false,
  ) {
    super(message);
    this.name = 'RetryLater';
  }
}

export type JobHandler = (payload: Record<string, unknown>, attempt: number) => Promise<void>;

const MAX_BACKOFF_MS = 5 * 60_000;

/**
 * The job that follows a RetryLater: when, and with which attempt number. An expected hand-off (to
 * the replica owning the cluster) is not a failed attempt: counting it would make the job's next
 * real failure wait as if every hand-off before it had failed (the backoff doubles per attempt
 * and reaches its five-minute cap after ten), with nothing to show for it.
 */
export function retryOf(payload: Record<string, unknown>, attempt: number, error: RetryLater, random: () => number = Math.random): { payload: Record<string, unknown>; delayMs: number } {
  return { payload: { ...payload, attempt: error.expected ? attempt : attempt + 1 }, delayMs: error.afterMs ?? backoffMs(attempt, random) };
}

export function backoffMs(attempt: number, random: () => number = Math.random): number {
  return Math.floor(random() * Math.min(MAX_BACKOFF_MS, 500 * 2 ** Math.min(attempt, 20)));
}

@Injectable()
export class WorkQueueService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('WorkQueue');
  private readonly handlers = new Map<string, JobHandler>();
  private readonly priorities = new Map<string, number>();
  private readonly serial = new SerialKeys();
  private workers: WorkerPool | undefined;
  private pool: pg.Pool | undefined;
  private leases: WorkerLeases | undefined;
  private reclaimTimer: NodeJS.Timeout | undefined;
  /** Why the workers stopped working, while they are stopped (readiness reports it). */
  private failure: string | undefined;

  constructor(
    private readonly jobs: WorkQueueRepository,
    private readonly tx: TransactionHost,
    @Inject(BERTH_CONFIG) private readonly config: BerthConfig,
    @Inject(DATABASE_URL) private readonly databaseUrl: string,
    private readonly drainers: ShutdownDrainers,
    private readonly metrics: MetricsService,
    private readonly routing: JobRouting,
  ) {}

  onModuleInit(): void {
    // On SIGTERM: stop claiming, let running jobs finish (bounded by the shutdown deadline); jobs
    // not started stay in the table for the other replicas, and the jobs of a process that died
    // are handed back by the next sweep of any replica (worker-leases.ts), so a SIGKILL loses nothing.
    this.drainers.register({ name: 'work-queue', drain: () => this.stop() });
    if (this.config.workersEnabled) this.metrics.registerQueueStats(() => this.stats());
  }

  /**
   * `priority`: this task's jobs run after due jobs of a lower priority (0 unless given), e.g. status
   * looks after the reconciles that apply what users asked for. Every replica registers the same.
   */
  register(task: string, handler: JobHandler, options: { priority?: number } = {}): void {
    this.handlers.set(task, handler);
    if (options.priority) this.priorities.set(task, options.priority);
  }

  /** Enqueue in the current transaction (see WorkQueueRepository.enqueue). */
  async enqueue(task: string, payload: Record<string, unknown>, options?: EnqueueOptions): Promise<void> {
    await this.jobs.enqueue(task, { ...payload, attempt: payload.attempt ?? 0 }, this.withPriority(task, options));
  }

  /**
   * Runs work that stands in for the jobs keyed `keys` (e.g. reconciles done in a batch) the way
   * those jobs run: never while one of them runs on this replica, nor one of them meanwhile.
   */
  async serially<T>(keys: readonly string[], work: () => Promise<T>): Promise<T> {
    return this.serial.runAll(keys, work);
  }

  /** Enqueues many jobs with one statement, in the current transaction. */
  async enqueueMany(jobs: JobRequest[]): Promise<void> {
    await this.jobs.enqueueMany(jobs.map((j) => this.prepared(j)));
  }

  /**
   * The jobs as a statement of another module adds them (addJobsSql), with the same defaults and
   * priorities as enqueue: for work recorded and followed up in one statement. Pass what that
   * statement returned to `resendDropped`.
   */
  specs(jobs: readonly JobRequest[]): JobSpecs {
    return jobSpecs(jobs.map((j) => this.prepared(j)));
  }

  /** Sends again, one by one, the keyed jobs a statement built from `specs` did not add (graphile/worker#580). */
  async resendDropped(jobs: readonly JobRequest[], addedKeys: ReadonlyArray<string | null>): Promise<void> {
    await this.jobs.resendDropped(jobs.map((j) => this.prepared(j)), addedKeys);
  }

  private prepared(j: JobRequest): JobRequest {
    return { ...j, payload: { ...j.payload, attempt: j.payload.attempt ?? 0 }, options: this.withPriority(j.task, j.options) };
  }

  private withPriority(task: string, options: EnqueueOptions | undefined): EnqueueOptions | undefined {
    const priority = this.priorities.get(task);
    return priority === undefined || options?.priority !== undefined ? options : { ...options, priority };
  }

  stats(): Promise<{ depth: number; oldestAgeSeconds: number }> {
    return this.jobs.stats();
  }

  /** Installs graphile-worker's schema; run before anything enqueues. */
  static async migrate(databaseUrl: string): Promise<void> {
    await runMigrations({ connectionString: databaseUrl, logger: quietLogger() });
  }

  async start(): Promise<void> {
    if (this.workers || this.handlers.size === 0) return;
    const taskList: Record<string, Task> = {};
    for (const [name, handler] of this.handlers) taskList[name] = (payload) => this.runHandler(name, handler, payload as Record<string, unknown>);
    const concurrency = this.config.workerConcurrency;
    // Our own pool, so a connection the server drops (restart, failover) is logged, not fatal: one
    // connection per worker, one for graphile-worker's listener, one to sweep for dead workers' jobs.
    const pool = new pg.Pool({ connectionString: this.databaseUrl, max: concurrency + 2 });
    this.pool = pool;
    pool.on('error', (error) => this.logger.warn({ err: error }, 'work queue lost an idle database connection'));
    // A connection that fails while a worker holds it (pg's pool listens only to idle ones) would
    // otherwise be an unhandled 'error' event; the worker's query fails and graphile-worker retries.
    pool.on('connect', (client) => client.on('error', (error) => this.logger.warn({ err: error }, 'a job worker lost its database connection')));
    const leases = new WorkerLeases(this.databaseUrl, randomBytes(6).toString('hex'), (error) => this.fail(`lost its worker lease connection: ${error.message}`));
    this.leases = leases;
    await leases.acquire();
    const events = new EventEmitter() as WorkerEvents;
    events.on('worker:fatalError', ({ error }) => this.fail(`a job worker stopped: ${errorMessage(error)}`));
    events.on('job:start', () => this.metrics.queueFetches.inc({ outcome: 'job' }));
    events.on('worker:getJob:empty', () => this.metrics.queueFetches.inc({ outcome: 'empty' }));
    // One pool of `concurrency` workers, as graphile-worker is meant to run: one listener wakes as
    // many idle workers as jobs were added. runTaskList, not run(): run() would check the schema
    // again (migrate() did at boot) and set up cron. Each worker takes its lock on the lease before
    // it claims anything (worker-leases.ts); if it cannot, the pool stops before the worker can
    // claim (graphile-worker runs the hook only before a worker's first fetch, not on a retry).
    let workers: WorkerPool | undefined;
    const holdLease = async (workerId: string): Promise<void> => {
      try {
        await leases.hold(workerId);
      } catch (error) {
        if (workers) void shutDown(workers, 'Berth could not take a worker lease');
        this.fail(`could not take the lease of a job worker: ${errorMessage(error)}`);
        throw error;
      }
    };
    workers = runTaskList(this.workerOptions(events, concurrency, holdLease), taskList, pool);
    workers.promise.catch((error: unknown) => this.fail(`the job runner stopped: ${errorMessage(error)}`));
    this.workers = workers;
    await this.reclaim();
    this.reclaimTimer = setInterval(() => void this.reclaim(), this.config.workerReclaimIntervalMs);
    this.reclaimTimer.unref();
  }

  private workerOptions(events: WorkerEvents, concurrency: number, holdLease: (workerId: string) => Promise<void>): WorkerPoolOptions {
    return {
      concurrency,
      pollInterval: 1000,
      noHandleSignals: true,
      // Asked before every fetch, so a cluster's jobs follow its lease within one poll.
      forbiddenFlags: () => this.routing.forbiddenFlags(),
      logger: quietLogger(),
      events,
      preset: {
        plugins: [{ name: 'BerthWorkerLeasePlugin', version: '1.0.0', worker: { hooks: { startWorker: (_ctx, { worker }) => holdLease(worker.workerId) } } }],
      },
    };
  }

  /** Undefined while the workers work; otherwise what stopped them (so /readyz can say). */
  health(): string | undefined {
    return this.failure;
  }

  /** Stops claiming work and waits for running jobs; unfinished jobs stay queued for any replica. */
  async stop(): Promise<void> {
    const workers = this.workers;
    const pool = this.pool;
    const leases = this.leases;
    this.workers = undefined;
    this.pool = undefined;
    this.leases = undefined;
    clearInterval(this.reclaimTimer);
    if (workers) await shutDown(workers, 'Berth is stopping its workers');
    if (pool && !pool.ending && !pool.ended) await pool.end();
    await leases?.release();
  }

  private fail(reason: string): void {
    if (!this.workers && !this.leases) return; // stopping: not a failure
    this.failure ??= reason;
    this.logger.error({ reason }, 'the work queue stopped working; readiness now fails');
    this.routing.workersStopped();
  }

  private async reclaim(): Promise<void> {
    const { pool, leases } = this;
    if (!pool || !leases) return;
    try {
      const workers = await leases.reclaim(pool);
      if (workers.length) this.logger.log({ workers }, 'took back the jobs of Berth workers that died');
    } catch (err) {
      this.logger.warn({ err }, 'could not look for the jobs of dead workers');
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.stop();
  }

  private async runHandler(task: string, handler: JobHandler, payload: Record<string, unknown>): Promise<void> {
    const attempt = typeof payload.attempt === 'number' ? payload.attempt : 0;
    this.logger.debug({ task, jobKey: payload.jobKey, attempt }, 'job started');
    try {
      await this.serial.run(typeof payload.jobKey === 'string' ? payload.jobKey : undefined, () => handler(payload, attempt));
    } catch (error) {
      if (!(error instanceof RetryLater)) throw error;
      const next = retryOf(payload, attempt, error);
      if (error.expected) this.logger.debug({ task, attempt, delayMs: next.delayMs, reason: error.message }, 'job handed back');
      else this.logger.warn({ task, attempt, delayMs: next.delayMs, reason: error.message }, 'job will retry');
      await this.tx.run(() =>
        this.jobs.enqueue(task, next.payload, this.withPriority(task, { jobKey: typeof payload.jobKey === 'string' ? payload.jobKey : undefined, runAt: new Date(Date.now() + next.delayMs) })),
      );
    }
  }
}

const shutdowns = new WeakMap<WorkerPool, Promise<void>>();

/** Shuts a worker pool down once (graphile-worker logs an error for a second call). */
function shutDown(workers: WorkerPool, why: string): Promise<void> {
  let done = shutdowns.get(workers);
  if (!done) {
    done = workers.gracefulShutdown(why);
    shutdowns.set(workers, done);
  }
  return done;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function quietLogger(): WorkerLogger {
  const logger = new Logger('graphile-worker');
  return new WorkerLogger(() => (level, message) => {
    if (level === 'error') logger.error(message);
    else if (level === 'warning') logger.warn(message);
  });
}
