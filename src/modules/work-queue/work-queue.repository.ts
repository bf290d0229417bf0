import { Injectable } from '@nestjs/common';
import { TransactionHost } from '../../database/prisma.service.js';

export interface EnqueueOptions {
  /** Jobs with the same key coalesce: a newer request replaces a pending one. */
  jobKey?: string;
  runAt?: Date;
  maxAttempts?: number;
}

@Injectable()
export class WorkQueueRepository {
  constructor(private readonly tx: TransactionHost) {}

  /**
   * Adds a job through graphile-worker's SQL API, in the caller's transaction: the job exists if
   * and only if the change that needs it commits, so a crash after commit loses no work.
   */
  async enqueue(task: string, payload: Record<string, unknown>, options: EnqueueOptions = {}): Promise<void> {
    await this.tx.db.$executeRaw`
      SELECT graphile_worker.add_job(
        ${task}::text,
        ${JSON.stringify(payload)}::json,
        run_at => ${options.runAt ?? null}::timestamptz,
        max_attempts => ${options.maxAttempts ?? 25}::int,
        job_key => ${options.jobKey ?? null}::text
      )`;
  }

  /** Adds many jobs in one statement (graphile-worker's add_jobs), in the caller's transaction. */
  async enqueueMany(jobs: Array<{ task: string; payload: Record<string, unknown>; options?: EnqueueOptions }>): Promise<void> {
    if (!jobs.length) return;
    const specs = jobs.map((j) => ({ identifier: j.task, payload: j.payload, run_at: j.options?.runAt?.toISOString() ?? null, max_attempts: j.options?.maxAttempts ?? 25, job_key: j.options?.jobKey ?? null }));
    await this.tx.db.$executeRaw`
      SELECT count(*) FROM graphile_worker.add_jobs(ARRAY(
        SELECT ROW(j->>'identifier', j->'payload', NULL, (j->>'run_at')::timestamptz, (j->>'max_attempts')::int, j->>'job_key', NULL, NULL)::graphile_worker.job_spec
        FROM json_array_elements(${JSON.stringify(specs)}::json) AS j))`;
  }

  async stats(): Promise<{ depth: number; oldestAgeSeconds: number }> {
    const [row] = await this.tx.db.$queryRaw<Array<{ depth: bigint; oldest: number | null }>>`
      SELECT count(*) AS depth, extract(epoch FROM now() - min(run_at))::float8 AS oldest
      FROM graphile_worker.jobs WHERE locked_at IS NULL AND run_at <= now()`;
    return { depth: Number(row?.depth ?? 0), oldestAgeSeconds: Math.max(0, row?.oldest ?? 0) };
  }
}
