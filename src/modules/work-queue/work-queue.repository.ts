import { Injectable, Logger } from '@nestjs/common';
import { TransactionHost } from '../../database/prisma.service.js';
import { CLUSTER_FLAG_PREFIX } from './job-routing.port.js';
import { addJobsSql, jobSpecs, routeOf, type JobRequest } from './job-specs.js';

export interface EnqueueOptions {
  /** Jobs with the same key coalesce: a newer request replaces a pending one. */
  jobKey?: string;
  runAt?: Date;
  maxAttempts?: number;
  /** Routing flags (job-routing.port.ts); by default derived from the payload, see enqueue. */
  flags?: string[];
  /** Lower runs first among jobs that are due (graphile-worker's priority); 0 by default. */
  priority?: number;
}

/** How often a keyed request is re-sent after losing to a worker's claim (see enqueue). */
const MAX_ADD_TRIES = 5;

@Injectable()
export class WorkQueueRepository {
  private readonly logger = new Logger('WorkQueue');

  constructor(private readonly tx: TransactionHost) {}

  /**
   * Adds a job through graphile-worker's SQL API, in the caller's transaction: the job exists if
   * and only if the change that needs it commits, so a crash after commit loses no work.
   *
   * Routing: a job naming a cluster (`clusterId`) carries that cluster's flag; a job naming an
   * environment (`environmentId`) carries the flag of the cluster the environment is on as this
   * transaction sees it (read in the same statement, so no caller needs to know the cluster). An
   * unplaced environment's job carries none and runs on any replica.
   */
  async enqueue(task: string, payload: Record<string, unknown>, options: EnqueueOptions = {}): Promise<void> {
    const { flags, environmentId } = routeOf(payload, options);
    // add_job (graphile-worker 0.16) drops a keyed request without a word when a worker claims the
    // job with that key while the request is being added (graphile/worker#580): its
    // `ON CONFLICT (key) DO UPDATE … WHERE locked_at IS NULL` waits for the claim, then matches
    // nothing and returns no job. The claimed job may have read the database before this
    // transaction commits, so the change would never be acted on. Asking again sees the claim
    // (a new snapshot per statement under READ COMMITTED): the claimed job loses its key and the
    // request becomes a job of its own. Each retry needs another claim of a new job under the same
    // key in the same instant, so a few always suffice; running out is an error, never a silent loss.
    for (let tries = 1; ; tries++) {
      const [job] = await this.tx.db.$queryRaw<Array<{ id: string | null }>>`
        SELECT id::text AS id FROM graphile_worker.add_job(
          ${task}::text,
          ${JSON.stringify(payload)}::json,
          run_at => ${options.runAt ?? null}::timestamptz,
          max_attempts => ${options.maxAttempts ?? 25}::int,
          job_key => ${options.jobKey ?? null}::text,
          priority => ${options.priority ?? 0}::int,
          flags => COALESCE(${flags}::text[], (
            SELECT ARRAY[${CLUSTER_FLAG_PREFIX}::text || cluster_id::text] FROM environments
            WHERE id = ${environmentId}::uuid AND cluster_id IS NOT NULL))
        )`;
      if (job?.id) return;
      this.logger.debug({ task, jobKey: options.jobKey, tries }, 'a keyed job was claimed by a worker while being replaced; adding the request again');
      if (tries === MAX_ADD_TRIES) throw new Error(`job ${options.jobKey ?? task} was not queued: its key was claimed by a worker ${tries} times while it was being added`);
    }
  }

  /**
   * Adds many jobs in one statement (graphile-worker's add_jobs), in the caller's transaction, routed
   * as `enqueue` routes each (a cluster's flag from the payload's clusterId or its environment's cluster).
   */
  async enqueueMany(jobs: JobRequest[]): Promise<void> {
    if (!jobs.length) return;
    const specs = jobSpecs(jobs);
    const added = await this.tx.db.$queryRawUnsafe<Array<{ key: string | null }>>(addJobsSql('$1'), specs.json);
    await this.resendDropped(jobs, added.map((row) => row.key));
  }

  /**
   * add_jobs drops a keyed request whose job a worker claims meanwhile, as add_job does (see
   * enqueue): such a request is sent again on its own, where that case is handled.
   */
  async resendDropped(jobs: readonly JobRequest[], addedKeys: ReadonlyArray<string | null>): Promise<void> {
    const keys = new Set(addedKeys);
    for (const j of jobs) if (j.options?.jobKey && !keys.has(j.options.jobKey)) await this.enqueue(j.task, j.payload, j.options);
  }

  async stats(): Promise<{ depth: number; oldestAgeSeconds: number }> {
    const [row] = await this.tx.db.$queryRaw<Array<{ depth: bigint; oldest: number | null }>>`
      SELECT count(*) AS depth, extract(epoch FROM now() - min(run_at))::float8 AS oldest
      FROM graphile_worker.jobs WHERE locked_at IS NULL AND run_at <= now()`;
    return { depth: Number(row?.depth ?? 0), oldestAgeSeconds: Math.max(0, row?.oldest ?? 0) };
  }
}
