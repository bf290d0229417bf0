import { applyDefaults } from '../src/defaults.js';
import { ApiError } from '../src/errors.js';
import type { ResourceDef } from '../src/resources.js';
import type { KubeObject } from '../src/types.js';
import { validateObject, validateUpdate } from '../src/validation/index.js';

/** Jobs, CronJobs, StatefulSets and DaemonSets are served by another module; their defaulting and validation live here. */
function def(kind: string, plural: string, group = 'batch'): ResourceDef {
  return { group, version: 'v1', kind, plural, singular: kind.toLowerCase(), namespaced: true, shortNames: [], categories: [], subresources: ['status'], qualified: `${plural}.${group}`, apiVersion: `${group}/v1`, nameIsLabel: false };
}
const JOBS = def('Job', 'jobs');
const CRONJOBS = def('CronJob', 'cronjobs');
const STATEFULSETS = def('StatefulSet', 'statefulsets', 'apps');
const DAEMONSETS = def('DaemonSet', 'daemonsets', 'apps');

function job(restartPolicy?: string): KubeObject {
  const spec: Record<string, unknown> = { containers: [{ name: 'run', image: 'busybox' }] };
  if (restartPolicy) spec['restartPolicy'] = restartPolicy;
  return { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'once', namespace: 'default', uid: 'u-1' }, spec: { template: { spec } } };
}

function causes(res: ResourceDef, obj: KubeObject): string[] {
  applyDefaults(res, obj, true);
  try {
    validateObject(res, obj);
    return [];
  } catch (e) {
    return ((e as ApiError).details?.causes ?? []).map((c) => `${c.field}: ${c.message}`);
  }
}

describe('Jobs', () => {
  it('get the generated selector and labels, and the real defaults', () => {
    const j = job('Never');
    expect(causes(JOBS, j)).toEqual([]);
    expect(j.spec).toMatchObject({
      completions: 1,
      parallelism: 1,
      backoffLimit: 6,
      completionMode: 'NonIndexed',
      selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': 'u-1' } },
      template: { metadata: { labels: { 'batch.kubernetes.io/controller-uid': 'u-1', 'batch.kubernetes.io/job-name': 'once', 'job-name': 'once' } } },
    });
  });

  it('need restartPolicy OnFailure or Never (the pod default Always is rejected)', () => {
    expect(causes(JOBS, job())).toEqual(['spec.template.spec.restartPolicy: Unsupported value: "Always": supported values: "OnFailure", "Never"']);
  });

  it('reject negative counts and a zero deadline', () => {
    const j = job('OnFailure');
    Object.assign(j.spec!, { backoffLimit: -1, activeDeadlineSeconds: 0 });
    expect(causes(JOBS, j).map((c) => c.split(':')[0])).toEqual(['spec.backoffLimit', 'spec.activeDeadlineSeconds']);
  });
});

describe('CronJobs', () => {
  const cron = (schedule: string, extra: Record<string, unknown> = {}): KubeObject => ({
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: 'nightly', namespace: 'default' },
    spec: { schedule, jobTemplate: { spec: { template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'run', image: 'busybox' }] } } } }, ...extra },
  });

  it('accept a five-field schedule and default their policies', () => {
    const c = cron('*/5 * * * *');
    expect(causes(CRONJOBS, c)).toEqual([]);
    expect(c.spec).toMatchObject({ concurrencyPolicy: 'Allow', successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 1, suspend: false });
  });

  it('reject a bad schedule, policy, time zone and a long name', () => {
    expect(causes(CRONJOBS, cron('every day')).map((c) => c.split(':')[0])).toEqual(['spec.schedule']);
    expect(causes(CRONJOBS, cron('0 0 * * *', { concurrencyPolicy: 'Sometimes' })).map((c) => c.split(':')[0])).toEqual(['spec.concurrencyPolicy']);
    expect(causes(CRONJOBS, cron('0 0 * * *', { timeZone: 'Mars/Olympus' })).map((c) => c.split(':')[0])).toEqual(['spec.timeZone']);
    const long = cron('0 0 * * *');
    long.metadata.name = 'n'.repeat(53);
    expect(causes(CRONJOBS, long).map((c) => c.split(':')[0])).toEqual(['metadata.name']);
  });
});

describe('StatefulSets and DaemonSets', () => {
  const workload = (kind: string, spec: Record<string, unknown> = {}): KubeObject => ({
    apiVersion: 'apps/v1',
    kind,
    metadata: { name: 'db', namespace: 'default' },
    spec: { selector: { matchLabels: { app: 'db' } }, template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'db', image: 'postgres:16' }] } }, ...spec },
  });

  it('need a selector matching the template and restartPolicy Always', () => {
    expect(causes(STATEFULSETS, workload('StatefulSet', { serviceName: 'db' }))).toEqual([]);
    expect(causes(STATEFULSETS, workload('StatefulSet', { selector: { matchLabels: { app: 'other' } } })).map((c) => c.split(':')[0])).toEqual(['spec.template.metadata.labels']);
    const never = workload('DaemonSet');
    (never.spec!['template'] as { spec: Record<string, unknown> }).spec['restartPolicy'] = 'Never';
    expect(causes(DAEMONSETS, never).map((c) => c.split(':')[0])).toEqual(['spec.template.spec.restartPolicy']);
    expect(causes(STATEFULSETS, workload('StatefulSet', { podManagementPolicy: 'Random' })).map((c) => c.split(':')[0])).toEqual(['spec.podManagementPolicy']);
  });

  it('a StatefulSet spec may change only in replicas, template, update strategy and a few more', () => {
    const old = workload('StatefulSet', { serviceName: 'db', replicas: 1 });
    expect(validateUpdate(STATEFULSETS, workload('StatefulSet', { serviceName: 'db', replicas: 3 }), old)).toEqual([]);
    expect(validateUpdate(STATEFULSETS, workload('StatefulSet', { serviceName: 'other', replicas: 1 }), old).map((c) => c.field)).toEqual(['spec']);
  });
});
