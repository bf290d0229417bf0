import { deleteObject } from '../deletion.js';
import { ApiError } from '../errors.js';
import type { EventRecorder } from '../events.js';
import type { Registry } from '../registry.js';
import { R } from '../resources.js';
import { scaled, type SimulationSettings } from '../settings.js';
import { asArray, asMap, deepEqual, isMap, nowIso, type JsonMap, type KubeObject, deepClone } from '../types.js';
import { Controller, splitKey } from './controller.js';
import { controllerOf, isPodReady } from './replicaset.controller.js';

const MANAGER = 'kube-controller-manager';
const COMPONENT = 'job-controller';

function phaseOf(pod: KubeObject): string {
  return String(asMap(pod.status)['phase'] ?? 'Pending');
}

export function jobCondition(job: KubeObject, type: string): JsonMap | undefined {
  return asArray(asMap(job.status)['conditions']).filter(isMap).find((c) => c['type'] === type && c['status'] === 'True');
}

export function jobFinished(job: KubeObject): 'Complete' | 'Failed' | undefined {
  if (jobCondition(job, 'Complete')) return 'Complete';
  if (jobCondition(job, 'Failed')) return 'Failed';
  return undefined;
}

function cond(type: string, reason: string, message: string): JsonMap {
  const now = nowIso();
  return { type, status: 'True', lastProbeTime: now, lastTransitionTime: now, reason, message };
}

/**
 * The Job controller (batch/v1), as 1.32 runs it for NonIndexed jobs: keeps up to `parallelism`
 * pods running until `completions` succeeded (SuccessCriteriaMet, then Complete), counts failures
 * against `backoffLimit` (FailureTarget, then Failed: BackoffLimitExceeded), enforces
 * `activeDeadlineSeconds` (DeadlineExceeded), honours `suspend`, delays replacements of failed
 * pods with the exponential back-off, and deletes finished jobs after `ttlSecondsAfterFinished`.
 * Durations are scaled by timeFactor. Pods are counted once, by uid (no job-tracking finalizers).
 */
export class JobController extends Controller {
  private readonly counted = new Map<string, Set<string>>();

  constructor(
    private readonly reg: Registry,
    private readonly events: EventRecorder,
    private readonly settings: SimulationSettings,
  ) {
    super();
  }

  forget(uid: string | undefined): void {
    if (uid) this.counted.delete(uid);
  }

  private ownedPods(job: KubeObject): KubeObject[] {
    const uid = job.metadata.uid ?? '';
    return this.reg.store.dependents(uid, R.pods).filter((p) => controllerOf(p)?.uid === uid);
  }

  protected reconcile(key: string): void {
    const [ns, name] = splitKey(key);
    const job = this.reg.find(R.jobs, ns, name);
    if (!job || job.metadata.deletionTimestamp) return;
    const spec = asMap(job.spec);
    const prev = asMap(job.status);
    const finished = jobFinished(job);
    if (finished) {
      this.expire(key, job);
      return;
    }
    const uid = job.metadata.uid ?? '';
    const pods = this.ownedPods(job);
    let counted = this.counted.get(uid);
    if (!counted) {
      // After a restart the stored counters already include the pods that were terminal then.
      counted = new Set(prev['succeeded'] || prev['failed'] ? pods.filter((p) => ['Succeeded', 'Failed'].includes(phaseOf(p))).map((p) => p.metadata.uid ?? '') : []);
      this.counted.set(uid, counted);
    }
    let succeeded = Number(prev['succeeded'] ?? 0);
    let failed = Number(prev['failed'] ?? 0);
    let lastFailure = 0;
    for (const p of pods) {
      const phase = phaseOf(p);
      if ((phase === 'Succeeded' || phase === 'Failed') && !counted.has(p.metadata.uid ?? '')) {
        counted.add(p.metadata.uid ?? '');
        if (phase === 'Succeeded') succeeded++;
        else failed++;
      }
      if (phase === 'Failed') lastFailure = Math.max(lastFailure, Date.parse(String(getFinish(p) ?? p.metadata.creationTimestamp)));
    }
    const active = pods.filter((p) => !p.metadata.deletionTimestamp && !['Succeeded', 'Failed'].includes(phaseOf(p)));
    const suspended = spec['suspend'] === true;
    const status: JsonMap = { ...prev };
    const conditions = asArray(prev['conditions']).filter(isMap);
    if (!suspended && !status['startTime']) status['startTime'] = nowIso();
    const completions = spec['completions'] === undefined || spec['completions'] === null ? undefined : Number(spec['completions']);
    const parallelism = Number(spec['parallelism'] ?? 1);
    const backoffLimit = Number(spec['backoffLimit'] ?? 6);
    const deadline = spec['activeDeadlineSeconds'];
    let outcome: { type: 'Complete' | 'Failed'; reason: string; message: string } | undefined;
    const complete = completions !== undefined ? succeeded >= completions : succeeded > 0 && active.length === 0;
    if (complete) outcome = { type: 'Complete', reason: 'CompletionsReached', message: 'Reached expected number of succeeded pods' };
    else if (failed + restartsOf(active) > backoffLimit) outcome = { type: 'Failed', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' };
    else if (typeof deadline === 'number' && !suspended && status['startTime']) {
      const end = Date.parse(String(status['startTime'])) + scaled(deadline, this.settings);
      if (Date.now() >= end) outcome = { type: 'Failed', reason: 'DeadlineExceeded', message: 'Job was active longer than specified deadline' };
      else this.enqueueAfter(key, end - Date.now() + 1);
    }
    let activeCount = active.length;
    if (outcome || suspended) {
      for (const p of active) this.deletePod(job, p);
      activeCount = 0;
    } else {
      const remaining = completions !== undefined ? completions - succeeded : succeeded > 0 ? 0 : parallelism;
      const want = Math.max(0, Math.min(parallelism, remaining) - active.length);
      if (want > 0) {
        // Replacements for failed pods wait out the back-off (10 s doubling, scaled).
        const delay = failed > 0 ? lastFailure + scaled(Math.min(360, 10 * 2 ** (failed - 1)), this.settings) - Date.now() : 0;
        if (delay > 0) this.enqueueAfter(key, delay);
        else activeCount += this.createPods(key, job, want);
      }
    }
    const keep = conditions.filter((c) => c['type'] !== 'Suspended');
    if (suspended) {
      keep.push({ ...cond('Suspended', 'JobSuspended', 'Job suspended'), lastProbeTime: nowIso() });
      if (!conditions.some((c) => c['type'] === 'Suspended')) this.events.record(job, 'Normal', 'Suspended', 'Job suspended', COMPONENT);
    } else if (conditions.some((c) => c['type'] === 'Suspended')) this.events.record(job, 'Normal', 'Resumed', 'Job resumed', COMPONENT);
    if (outcome) {
      const interim = outcome.type === 'Complete' ? 'SuccessCriteriaMet' : 'FailureTarget';
      keep.push(cond(interim, outcome.reason, outcome.message), cond(outcome.type, outcome.reason, outcome.message));
      if (outcome.type === 'Complete') {
        status['completionTime'] = nowIso();
        this.events.record(job, 'Normal', 'Completed', 'Job completed', COMPONENT);
      } else this.events.record(job, 'Warning', outcome.reason, outcome.message, COMPONENT);
    }
    if (keep.length) status['conditions'] = keep;
    else delete status['conditions'];
    status['active'] = activeCount;
    status['succeeded'] = succeeded;
    status['failed'] = failed;
    status['ready'] = outcome ? 0 : active.filter(isPodReady).length;
    status['terminating'] = 0;
    status['uncountedTerminatedPods'] = {};
    for (const k of ['active', 'succeeded', 'failed']) if (status[k] === 0) delete status[k];
    if (!deepEqual(status, prev)) this.reg.updateStatus(R.jobs, job, status, MANAGER);
    if (outcome) this.expire(key, this.reg.find(R.jobs, ns, name) ?? job);
  }

  private createPods(key: string, job: KubeObject, n: number): number {
    const template = asMap(asMap(job.spec)['template']);
    const meta = asMap(template['metadata']);
    let made = 0;
    for (let i = 0; i < n; i++) {
      try {
        const pod = this.reg.create(
          R.pods,
          job.metadata.namespace ?? '',
          {
            metadata: {
              generateName: `${job.metadata.name}-`,
              labels: { ...asMap(meta['labels']) },
              ...(isMap(meta['annotations']) ? { annotations: { ...meta['annotations'] } } : {}),
              ownerReferences: [{ apiVersion: 'batch/v1', kind: 'Job', name: job.metadata.name ?? '', uid: job.metadata.uid ?? '', controller: true, blockOwnerDeletion: true }],
            },
            spec: deepClone(asMap(template['spec'])),
          },
          { fieldManager: MANAGER },
        );
        made++;
        this.events.record(job, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name}`, COMPONENT);
      } catch (e) {
        const why = e instanceof ApiError ? e.message : String(e);
        this.events.record(job, 'Warning', 'FailedCreate', `Error creating: ${why}`, COMPONENT);
        this.enqueueAfter(key, Math.max(50, scaled(10, this.settings)));
        break;
      }
    }
    return made;
  }

  private deletePod(job: KubeObject, pod: KubeObject): void {
    try {
      deleteObject(this.reg, R.pods, pod.metadata.namespace ?? '', pod.metadata.name ?? '', {});
      this.events.record(job, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`, COMPONENT);
    } catch {
      // gone already
    }
  }

  /** The TTL-after-finished controller. */
  private expire(key: string, job: KubeObject): void {
    const ttl = asMap(job.spec)['ttlSecondsAfterFinished'];
    if (typeof ttl !== 'number') return;
    const st = asMap(job.status);
    const finishedAt = Date.parse(String(st['completionTime'] ?? (jobCondition(job, 'Failed') ?? {})['lastTransitionTime'] ?? nowIso()));
    const at = finishedAt + scaled(ttl, this.settings);
    if (Date.now() < at) {
      this.enqueueAfter(key, at - Date.now() + 1);
      return;
    }
    try {
      deleteObject(this.reg, R.jobs, job.metadata.namespace ?? '', job.metadata.name ?? '', { propagationPolicy: 'Foreground' });
    } catch {
      // gone already
    }
  }
}

/** With restartPolicy OnFailure the kubelet restarts failing containers; each restart counts as a failure. */
function restartsOf(pods: KubeObject[]): number {
  let n = 0;
  for (const p of pods) {
    if (asMap(p.spec)['restartPolicy'] !== 'OnFailure') continue;
    for (const cs of asArray(asMap(p.status)['containerStatuses'])) n += Number(asMap(cs)['restartCount'] ?? 0);
  }
  return n;
}

function getFinish(pod: KubeObject): unknown {
  for (const cs of asArray(asMap(pod.status)['containerStatuses'])) {
    const t = asMap(asMap(asMap(cs)['state'])['terminated'])['finishedAt'];
    if (t) return t;
  }
  return undefined;
}
