import type { SimClock } from '../clock.js';
import { deleteObject } from '../deletion.js';
import { ApiError } from '../errors.js';
import type { EventRecorder } from '../events.js';
import type { Registry } from '../registry.js';
import { R } from '../resources.js';
import { asMap, deepEqual, type JsonMap, type KubeObject, deepClone } from '../types.js';
import { Controller, splitKey } from './controller.js';
import { lastScheduleIn, nextSchedule, parseCron } from './cron.js';
import { jobFinished } from './job.controller.js';
import { controllerOf } from './replicaset.controller.js';

const MANAGER = 'kube-controller-manager';
const COMPONENT = 'cronjob-controller';
const SCHEDULED_ANNOTATION = 'batch.kubernetes.io/cronjob-scheduled-timestamp';

function rfc3339(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function jobRef(job: KubeObject): JsonMap {
  return { kind: 'Job', namespace: job.metadata.namespace, name: job.metadata.name, uid: job.metadata.uid, apiVersion: 'batch/v1', resourceVersion: job.metadata.resourceVersion };
}

/**
 * The CronJob controller (batch/v1) on the simulated clock (clock.ts): creates a Job for the most
 * recent missed schedule time (named <cronjob>-<minutes since epoch>, as upstream), honours
 * suspend, startingDeadlineSeconds and concurrencyPolicy Allow / Forbid / Replace, keeps
 * status.active, lastScheduleTime and lastSuccessfulTime, and prunes finished Jobs beyond the
 * successful / failed history limits.
 */
export class CronJobController extends Controller {
  private readonly seenFinished = new Set<string>();
  private readonly unsubscribe: () => void;

  constructor(
    private readonly reg: Registry,
    private readonly events: EventRecorder,
    private readonly clock: SimClock,
  ) {
    super();
    this.unsubscribe = clock.onChange(() => {
      for (const cj of this.reg.store.list(R.cronjobs)) this.enqueue(`${cj.metadata.namespace}/${cj.metadata.name}`);
    });
  }

  override stop(): void {
    this.unsubscribe();
    super.stop();
  }

  protected reconcile(key: string): void {
    const [ns, name] = splitKey(key);
    const cj = this.reg.find(R.cronjobs, ns, name);
    if (!cj || cj.metadata.deletionTimestamp) return;
    const spec = asMap(cj.spec);
    const uid = cj.metadata.uid ?? '';
    let jobs = this.reg.store.dependents(uid, R.jobs).filter((j) => controllerOf(j)?.uid === uid && !j.metadata.deletionTimestamp);
    const prev = asMap(cj.status);
    let lastSuccessful = prev['lastSuccessfulTime'] as string | undefined;
    for (const j of jobs) {
      const done = jobFinished(j);
      if (!done) continue;
      const st = asMap(j.status);
      if (done === 'Complete' && st['completionTime'] && (!lastSuccessful || String(st['completionTime']) > lastSuccessful)) lastSuccessful = String(st['completionTime']);
      if (!this.seenFinished.has(j.metadata.uid ?? '')) {
        this.seenFinished.add(j.metadata.uid ?? '');
        if (this.seenFinished.size > 20000) this.seenFinished.delete(this.seenFinished.values().next().value!);
        this.events.record(cj, 'Normal', 'SawCompletedJob', `Saw completed job: ${j.metadata.name}, condition: ${done}`, COMPONENT);
      }
    }
    jobs = this.prune(cj, jobs);
    let active = jobs.filter((j) => !jobFinished(j));
    let lastSchedule = prev['lastScheduleTime'] as string | undefined;
    const now = this.clock.now();
    const timeZone = typeof spec['timeZone'] === 'string' ? spec['timeZone'] : undefined;
    let schedule;
    try {
      schedule = parseCron(String(spec['schedule'] ?? ''));
    } catch (e) {
      this.events.record(cj, 'Warning', 'UnparseableSchedule', `unparseable schedule: ${JSON.stringify(spec['schedule'])} : ${(e as Error).message}`, COMPONENT);
      return;
    }
    if (spec['suspend'] !== true) {
      const since = Date.parse(lastSchedule ?? cj.metadata.creationTimestamp ?? new Date(now).toISOString());
      const { time, missed } = lastScheduleIn(schedule, since, now, timeZone);
      if (missed > 100) {
        this.events.record(cj, 'Warning', 'TooManyMissedTimes', 'too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew', COMPONENT);
      }
      const deadline = spec['startingDeadlineSeconds'];
      const tooLate = time !== undefined && typeof deadline === 'number' && now - time > deadline * 1000;
      if (time !== undefined && tooLate) {
        this.events.record(cj, 'Warning', 'MissSchedule', `Missed scheduled time to start a job: ${rfc3339(time)}`, COMPONENT);
      } else if (time !== undefined) {
        const policy = String(spec['concurrencyPolicy'] ?? 'Allow');
        if (policy === 'Forbid' && active.length) {
          this.events.record(cj, 'Normal', 'JobAlreadyActive', 'Not starting job because prior execution is running and concurrency policy is Forbid', COMPONENT);
        } else {
          if (policy === 'Replace') {
            for (const j of active) {
              try {
                deleteObject(this.reg, R.jobs, ns, j.metadata.name ?? '', { propagationPolicy: 'Background' });
                this.events.record(cj, 'Normal', 'SuccessfulDelete', `Deleted job ${j.metadata.name}`, COMPONENT);
              } catch {
                // gone already
              }
            }
            active = [];
          }
          const job = this.createJob(cj, time);
          if (job) active.push(job);
          lastSchedule = rfc3339(time);
        }
      }
    }
    const status: JsonMap = { ...prev };
    if (active.length) status['active'] = active.map(jobRef);
    else delete status['active'];
    if (lastSchedule) status['lastScheduleTime'] = lastSchedule;
    if (lastSuccessful) status['lastSuccessfulTime'] = lastSuccessful;
    if (!deepEqual(status, prev)) this.reg.updateStatus(R.cronjobs, cj, status, MANAGER);
    if (spec['suspend'] !== true && !this.clock.frozen) {
      const next = nextSchedule(schedule, now, timeZone);
      if (next !== undefined) this.enqueueAfter(key, Math.min(2 ** 31 - 1, next - now + 1));
    }
  }

  private createJob(cj: KubeObject, time: number): KubeObject | undefined {
    const template = asMap(asMap(cj.spec)['jobTemplate']);
    const tmeta = asMap(template['metadata']);
    const name = `${cj.metadata.name}-${Math.floor(time / 60000)}`;
    const ns = cj.metadata.namespace ?? '';
    if (this.reg.find(R.jobs, ns, name)) return undefined;
    try {
      const job = this.reg.create(
        R.jobs,
        ns,
        {
          metadata: {
            name,
            labels: { ...asMap(tmeta['labels']) },
            annotations: { ...asMap(tmeta['annotations']), [SCHEDULED_ANNOTATION]: rfc3339(time) },
            ownerReferences: [{ apiVersion: 'batch/v1', kind: 'CronJob', name: cj.metadata.name ?? '', uid: cj.metadata.uid ?? '', controller: true, blockOwnerDeletion: true }],
          },
          spec: deepClone(asMap(template['spec'])),
        },
        { fieldManager: MANAGER },
      );
      this.events.record(cj, 'Normal', 'SuccessfulCreate', `Created job ${name}`, COMPONENT);
      return job;
    } catch (e) {
      this.events.record(cj, 'Warning', 'FailedCreate', `Error creating job: ${e instanceof ApiError ? e.message : String(e)}`, COMPONENT);
      return undefined;
    }
  }

  /** Delete the oldest finished Jobs beyond the history limits; returns the Jobs kept. */
  private prune(cj: KubeObject, jobs: KubeObject[]): KubeObject[] {
    const spec = asMap(cj.spec);
    const byAge = (a: KubeObject, b: KubeObject): number => String(a.metadata.creationTimestamp).localeCompare(String(b.metadata.creationTimestamp)) || String(a.metadata.name).localeCompare(String(b.metadata.name));
    const drop: KubeObject[] = [];
    for (const [kind, limitKey] of [
      ['Complete', 'successfulJobsHistoryLimit'],
      ['Failed', 'failedJobsHistoryLimit'],
    ] as const) {
      const limit = spec[limitKey];
      if (typeof limit !== 'number') continue;
      const done = jobs.filter((j) => jobFinished(j) === kind).sort(byAge);
      drop.push(...done.slice(0, Math.max(0, done.length - limit)));
    }
    for (const j of drop) {
      try {
        deleteObject(this.reg, R.jobs, j.metadata.namespace ?? '', j.metadata.name ?? '', { propagationPolicy: 'Background' });
        this.events.record(cj, 'Normal', 'SuccessfulDelete', `Deleted job ${j.metadata.name}`, COMPONENT);
      } catch {
        // gone already
      }
    }
    return jobs.filter((j) => !drop.includes(j));
  }
}
