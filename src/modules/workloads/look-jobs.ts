// The jobs that ask for status looks: one environment's (keyed, so repeated asks coalesce), or a
// batch of one cluster's environments (one job, one statement to read them, one to settle them).
import type { JobRequest } from '../work-queue/job-specs.js';
import { OBSERVE_BATCH_TASK, OBSERVE_TASK } from './tasks.js';

export function lookJob(environmentId: string, delayMs = 0): JobRequest {
  return { task: OBSERVE_TASK, payload: { environmentId, jobKey: `observe:${environmentId}` }, options: { jobKey: `observe:${environmentId}`, ...(delayMs ? { runAt: new Date(Date.now() + delayMs) } : {}) } };
}

/** Looks at `environmentIds` of cluster `clusterId` (null: unplaced), in jobs of at most LOOK_BATCH (one when there is one environment). */
export function lookJobs(clusterId: string | null, environmentIds: readonly string[], delayMs = 0): JobRequest[] {
  if (environmentIds.length === 1 || clusterId === null) return environmentIds.map((id) => lookJob(id, delayMs));
  const jobs: JobRequest[] = [];
  for (let i = 0; i < environmentIds.length; i += LOOK_BATCH) {
    jobs.push({ task: OBSERVE_BATCH_TASK, payload: { clusterId, environmentIds: environmentIds.slice(i, i + LOOK_BATCH) }, options: delayMs ? { runAt: new Date(Date.now() + delayMs) } : {} });
  }
  return jobs;
}

/** Environments per batch look. */
export const LOOK_BATCH = 500;
