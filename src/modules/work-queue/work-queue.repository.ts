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

  async stats(): Promise<{ depth: number; oldestAgeSeconds: number }> {
    const [row] = await this.tx.db.$queryRaw<Array<{ depth: bigint; oldest: number | null }>>`
      SELECT count(*) AS depth, extract(epoch FROM now() - min(run_at))::float8 AS oldest
      FROM graphile_worker.jobs WHERE locked_at IS NULL AND run_at <= now()`;
    return { depth: Number(row?.depth ?? 0), oldestAgeSeconds: Math.max(0, row?.oldest ?? 0) };
  }
}
