import type { SandboxCluster } from '../src/index.js';
import { at, fastCluster, http, items, kubectl, names, waitFor } from './helpers.js';

/** Jobs and CronJobs (batch/v1), driven by the real kubectl where it has a command. */
let c: SandboxCluster;
const J = '/apis/batch/v1/namespaces/batch/jobs';
const CJ = '/apis/batch/v1/namespaces/batch/cronjobs';

beforeAll(async () => {
  c = await fastCluster({ name: 'batch' });
  await kubectl(c, ['create', 'namespace', 'batch']);
});
afterAll(() => c.stop());

const get = async (path: string): Promise<Record<string, unknown>> => (await http(c, 'GET', path)).body;
const types = (obj: unknown): string[] => ((at(obj, 'status.conditions') as Record<string, unknown>[] | undefined) ?? []).map((x) => String(x['type']));
const job = (name: string, image: string, spec: Record<string, unknown> = {}): Record<string, unknown> => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name },
  spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'task', image }] } }, ...spec },
});

describe('jobs', () => {
  it('kubectl create job runs a pod to completion; wait, get and defaults look like a real cluster', async () => {
    expect((await kubectl(c, ['-n', 'batch', 'create', 'job', 'once', '--image=example/task:1'])).stdout.trim()).toBe('job.batch/once created');
    const waited = await kubectl(c, ['-n', 'batch', 'wait', '--for=condition=complete', 'job/once', '--timeout=20s']);
    expect(waited.stdout.trim()).toBe('job.batch/once condition met');
    const j = await get(`${J}/once`);
    const uid = String(at(j, 'metadata.uid'));
    expect(at(j, 'spec')).toMatchObject({ completions: 1, parallelism: 1, backoffLimit: 6, completionMode: 'NonIndexed', suspend: false, selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } } });
    expect(at(j, 'spec.template.metadata.labels')).toMatchObject({ 'batch.kubernetes.io/job-name': 'once', 'job-name': 'once', 'controller-uid': uid });
    expect(types(j)).toEqual(['SuccessCriteriaMet', 'Complete']);
    expect(at(j, 'status')).toMatchObject({ succeeded: 1, ready: 0, terminating: 0 });
    expect(at(j, 'status.completionTime')).toEqual(expect.any(String));
    const pods = items(await get(`/api/v1/namespaces/batch/pods?labelSelector=job-name%3Donce`));
    expect(pods.map((p) => at(p, 'status.phase'))).toEqual(['Succeeded']);
    expect(at(pods[0], 'status.containerStatuses.0.state.terminated')).toMatchObject({ exitCode: 0, reason: 'Completed' });
    const table = await kubectl(c, ['-n', 'batch', 'get', 'jobs']);
    expect(table.stdout).toMatch(/^NAME\s+STATUS\s+COMPLETIONS\s+DURATION\s+AGE\n/);
    expect(table.stdout).toMatch(/\nonce\s+Complete\s+1\/1\s+\S+\s+\S+\n/);
  });

  it('an exit-3 image fails the job after backoffLimit retries: FailureTarget and Failed, BackoffLimitExceeded', async () => {
    await http(c, 'POST', J, job('fails', 'example/exit-3', { backoffLimit: 1 }));
    const j = await waitFor(async () => {
      const o = await get(`${J}/fails`);
      return types(o).includes('Failed') ? o : undefined;
    }, 'failed job');
    expect(types(j)).toEqual(['FailureTarget', 'Failed']);
    expect(at(j, 'status.conditions.1')).toMatchObject({ status: 'True', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' });
    expect(at(j, 'status.failed')).toBe(2);
    const pods = items(await get(`/api/v1/namespaces/batch/pods?labelSelector=job-name%3Dfails`));
    expect(pods.map((p) => at(p, 'status.containerStatuses.0.state.terminated.exitCode'))).toEqual([3, 3]);
    const table = await kubectl(c, ['-n', 'batch', 'get', 'job', 'fails']);
    expect(table.stdout).toMatch(/\nfails\s+Failed\s+0\/1\s+/);
    const ev = items(await get('/api/v1/namespaces/batch/events?fieldSelector=involvedObject.name%3Dfails,reason%3DBackoffLimitExceeded'));
    expect(ev).toHaveLength(1);
  });

  it('with restartPolicy OnFailure, container restarts count against backoffLimit', async () => {
    const spec = job('restarts', 'example/exit-2', { backoffLimit: 2 });
    (at(spec, 'spec.template.spec') as Record<string, unknown>)['restartPolicy'] = 'OnFailure';
    await http(c, 'POST', J, spec);
    const j = await waitFor(async () => {
      const o = await get(`${J}/restarts`);
      return types(o).includes('Failed') ? o : undefined;
    }, 'failed after restarts');
    expect(at(j, 'status.conditions.1')).toMatchObject({ type: 'Failed', reason: 'BackoffLimitExceeded' });
    await waitFor(async () => items(await get('/api/v1/namespaces/batch/pods?labelSelector=job-name%3Drestarts')).length === 0, 'restarting pod deleted');
  });

  it('activeDeadlineSeconds stops a long job with DeadlineExceeded and deletes its pod', async () => {
    await http(c, 'POST', J, job('slow', 'example/sleep-100000', { activeDeadlineSeconds: 2 }));
    const j = await waitFor(async () => {
      const o = await get(`${J}/slow`);
      return types(o).includes('Failed') ? o : undefined;
    }, 'deadline');
    expect(at(j, 'status.conditions.1')).toMatchObject({ type: 'Failed', reason: 'DeadlineExceeded', message: 'Job was active longer than specified deadline' });
    await waitFor(async () => items(await get('/api/v1/namespaces/batch/pods?labelSelector=job-name%3Dslow')).length === 0, 'pod deleted');
  });

  it('completions and parallelism: runs pods in parallel until enough succeeded', async () => {
    await http(c, 'POST', J, job('many', 'example/sleep-5', { completions: 4, parallelism: 2 }));
    const j = await waitFor(async () => {
      const o = await get(`${J}/many`);
      return types(o).includes('Complete') ? o : undefined;
    }, 'complete');
    expect(at(j, 'status.succeeded')).toBe(4);
    expect(items(await get('/api/v1/namespaces/batch/pods?labelSelector=job-name%3Dmany'))).toHaveLength(4);
  });

  it('ttlSecondsAfterFinished deletes the finished job and its pods', async () => {
    await http(c, 'POST', J, job('short-lived', 'example/task', { ttlSecondsAfterFinished: 1 }));
    await waitFor(async () => (await http(c, 'GET', `${J}/short-lived`)).status === 404, 'job deleted after ttl');
    await waitFor(async () => items(await get('/api/v1/namespaces/batch/pods?labelSelector=job-name%3Dshort-lived')).length === 0, 'pods deleted');
  });
});

describe('cronjobs', () => {
  const cronjob = (name: string, policy: string, image: string): Record<string, unknown> => ({
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name },
    spec: { schedule: '*/1 * * * *', concurrencyPolicy: policy, successfulJobsHistoryLimit: 2, jobTemplate: { spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'tick', image }] } } } } },
  });
  const owned = async (name: string): Promise<string[]> =>
    names(await get(J)).filter((n) => n.startsWith(`${name}-`)).sort();

  beforeAll(() => {
    c.clock.freeze();
  });

  it('creates a job per schedule time on the advanced clock, keeps history limits, and reports status', async () => {
    const made = await kubectl(c, ['-n', 'batch', 'create', 'cronjob', 'tick', '--image=example/task', '--schedule=*/1 * * * *']);
    expect(made.stdout.trim()).toBe('cronjob.batch/tick created');
    const cj = await get(`${CJ}/tick`);
    expect(at(cj, 'spec')).toMatchObject({ concurrencyPolicy: 'Allow', suspend: false, successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 1 });
    expect(await owned('tick')).toEqual([]);
    for (let i = 1; i <= 4; i++) {
      c.clock.advance(60_000);
      await waitFor(async () => {
        const jobs = await owned('tick');
        const done = await Promise.all(jobs.map(async (n) => types(await get(`${J}/${n}`)).includes('Complete')));
        return jobs.length === Math.min(i, 3) && done.every(Boolean) && at(await get(`${CJ}/tick`), 'status.lastSuccessfulTime');
      }, `run ${i}`);
    }
    const status = at(await get(`${CJ}/tick`), 'status') as Record<string, unknown>;
    expect(status['lastScheduleTime']).toEqual(expect.any(String));
    expect(status['active']).toBeUndefined();
    const jobs = await owned('tick');
    expect(jobs).toHaveLength(3);
    const jobObj = await get(`${J}/${jobs[0]!}`);
    expect(at(jobObj, 'metadata.ownerReferences.0')).toMatchObject({ kind: 'CronJob', name: 'tick', controller: true });
    expect(String(jobs[0])).toMatch(/^tick-\d{8}$/);
    const table = await kubectl(c, ['-n', 'batch', 'get', 'cronjobs']);
    expect(table.stdout).toMatch(/^NAME\s+SCHEDULE\s+TIMEZONE\s+SUSPEND\s+ACTIVE\s+LAST SCHEDULE\s+AGE\n/);
    expect(table.stdout).toMatch(/\ntick\s+\*\/1 \* \* \* \*\s+<none>\s+False\s+0\s+\S+\s+\S+\n/);
  });

  it('Forbid skips a run while one is active; Replace swaps the active job for a new one', async () => {
    await http(c, 'POST', CJ, cronjob('forbid', 'Forbid', 'example/sleep-100000'));
    await http(c, 'POST', CJ, cronjob('replace', 'Replace', 'example/sleep-100000'));
    c.clock.advance(60_000);
    await waitFor(async () => (await owned('forbid')).length === 1 && (await owned('replace')).length === 1, 'first runs');
    const firstReplace = (await owned('replace'))[0];
    c.clock.advance(60_000);
    await waitFor(async () => {
      const r = await owned('replace');
      return r.length === 1 && r[0] !== firstReplace;
    }, 'replaced');
    expect(await owned('forbid')).toHaveLength(1);
    const ev = items(await get('/api/v1/namespaces/batch/events?fieldSelector=involvedObject.name%3Dforbid,reason%3DJobAlreadyActive'));
    expect(ev).toHaveLength(1);
    expect(at(await get(`${CJ}/replace`), 'status.active')).toHaveLength(1);
  });

  it('suspend stops scheduling', async () => {
    await kubectl(c, ['-n', 'batch', 'patch', 'cronjob', 'tick', '-p', '{"spec":{"suspend":true}}']);
    const before = at(await get(`${CJ}/tick`), 'status.lastScheduleTime');
    c.clock.advance(120_000);
    await kubectl(c, ['-n', 'batch', 'get', 'cronjob', 'tick']);
    expect(at(await get(`${CJ}/tick`), 'status.lastScheduleTime')).toBe(before);
    expect((await kubectl(c, ['-n', 'batch', 'get', 'cronjob', 'tick'])).stdout).toMatch(/\ntick\s+\S+ \S+ \S+ \S+ \S+\s+<none>\s+True\s+/);
  });
});
