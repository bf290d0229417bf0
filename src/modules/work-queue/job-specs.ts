// Jobs as graphile-worker's add_jobs takes them, for a statement that queues jobs together with the
// change that needs them (WorkQueueRepository.enqueueMany, and a repository that records work and
// queues what follows it in one statement). One routing rule for both: see routeOf.
import { CLUSTER_FLAG_PREFIX, clusterFlag } from './job-routing.port.js';
import type { EnqueueOptions } from './work-queue.repository.js';

export interface JobRequest {
  task: string;
  payload: Record<string, unknown>;
  options?: EnqueueOptions;
}

/** Jobs ready to be added by a statement: the specs as one JSON parameter, and the keys they carry. */
export interface JobSpecs {
  readonly json: string;
  readonly keys: readonly string[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Where a job goes: the flags given, else its cluster's flag from the payload's clusterId; else the
 * environment whose cluster's flag the statement looks up (an unplaced environment's job has none).
 */
export function routeOf(payload: Record<string, unknown>, options: EnqueueOptions): { flags: string[] | null; environmentId: string | null } {
  const flags = options.flags ?? (typeof payload.clusterId === 'string' ? [clusterFlag(payload.clusterId)] : null);
  const environmentId = flags === null && typeof payload.environmentId === 'string' && UUID.test(payload.environmentId) ? payload.environmentId : null;
  return { flags, environmentId };
}

export function jobSpecs(jobs: readonly JobRequest[]): JobSpecs {
  const specs = jobs.map((j) => {
    const { flags, environmentId } = routeOf(j.payload, j.options ?? {});
    return { identifier: j.task, payload: j.payload, run_at: j.options?.runAt?.toISOString() ?? null, max_attempts: j.options?.maxAttempts ?? 25, job_key: j.options?.jobKey ?? null, priority: j.options?.priority ?? 0, flags, environment_id: environmentId };
  });
  return { json: JSON.stringify(specs), keys: jobs.flatMap((j) => (j.options?.jobKey ? [j.options.jobKey] : [])) };
}

/**
 * SQL that adds the jobs of a JobSpecs parameter (`$n`, its json) and yields one row per job added,
 * with its key (`onlyIf`: a condition on the statement's other rows, e.g. of a LATERAL join, that
 * must hold for any job to be added). An environment's job takes its cluster's flag as the statement sees the environment.
 * add_jobs (like add_job) drops a keyed request whose job a worker is claiming at that instant
 * (graphile/worker#580): callers compare the keys returned with JobSpecs.keys and send a missing one
 * again on its own (WorkQueueRepository.enqueue handles that case).
 */
export function addJobsSql(param: string, onlyIf?: string): string {
  return `SELECT key FROM graphile_worker.add_jobs(ARRAY(
      SELECT ROW(j->>'identifier', j->'payload', NULL, (j->>'run_at')::timestamptz, (j->>'max_attempts')::int, j->>'job_key', (j->>'priority')::int,
        COALESCE(CASE WHEN json_typeof(j->'flags') = 'array' THEN ARRAY(SELECT json_array_elements_text(j->'flags')) END,
          (SELECT ARRAY['${CLUSTER_FLAG_PREFIX}' || e.cluster_id::text] FROM environments e WHERE e.id = (j->>'environment_id')::uuid AND e.cluster_id IS NOT NULL)))::graphile_worker.job_spec
      FROM json_array_elements(${param}::json) AS j${onlyIf ? ` WHERE ${onlyIf}` : ''}))`;
}
