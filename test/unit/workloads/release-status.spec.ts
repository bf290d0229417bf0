import { describe, expect, it } from '@jest/globals';
import { observeRelease } from '../../../src/modules/workloads/release-status.js';
import type { KubeObject } from '../../../src/modules/clusters/kube/kube-gateway.js';

function deployment(opts: { release: number; replicas?: number; updated?: number; available?: number; observed?: number; generation?: number; conditions?: unknown[]; statusReplicas?: number }): KubeObject {
  const replicas = opts.replicas ?? 2;
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', labels: { 'berth.dev/process-type': 'web' }, generation: opts.generation ?? 2 } as KubeObject['metadata'],
    spec: { replicas, template: { metadata: { annotations: { 'berth.dev/release': String(opts.release) } } } },
    status: {
      observedGeneration: opts.observed ?? 2,
      replicas: opts.statusReplicas ?? replicas,
      updatedReplicas: opts.updated ?? replicas,
      availableReplicas: opts.available ?? replicas,
      readyReplicas: opts.available ?? replicas,
      conditions: opts.conditions ?? [],
    },
  };
}

function pod(release: number, waiting?: string, restarts = 0): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `web-${release}-${waiting ?? 'ok'}`, labels: { 'berth.dev/process-type': 'web', 'berth.dev/release': String(release) } },
    status: { phase: waiting ? 'Pending' : 'Running', conditions: [{ type: 'Ready', status: waiting ? 'False' : 'True' }], containerStatuses: [{ ready: !waiting, restartCount: restarts, state: waiting ? { waiting: { reason: waiting } } : { running: {} } }] },
  };
}

describe('release status', () => {
  it('succeeds once every deployment runs the release with all replicas available', () => {
    const status = observeRelease(3, [deployment({ release: 3 })], [pod(3), pod(3)]);
    expect(status).toMatchObject({ phase: 'succeeded', reason: null });
    expect(status.processes).toEqual([{ type: 'web', desired: 2, ready: 2, updated: 2, available: 2 }]);
  });

  it('is rolling out while replicas are missing, the generation is unobserved, or old pods linger', () => {
    expect(observeRelease(3, [deployment({ release: 3, available: 1 })], []).phase).toBe('rolling_out');
    expect(observeRelease(3, [deployment({ release: 3, observed: 1 })], []).phase).toBe('rolling_out');
    expect(observeRelease(3, [deployment({ release: 3, statusReplicas: 3 })], []).phase).toBe('rolling_out');
    expect(observeRelease(3, [deployment({ release: 2 })], []).phase).toBe('rolling_out');
    expect(observeRelease(3, [], []).phase).toBe('rolling_out');
  });

  it.each([
    ['ErrImagePull', 'image_pull_error'],
    ['ImagePullBackOff', 'image_pull_error'],
    ['CrashLoopBackOff', 'crash_loop'],
  ])('fails with %s as %s', (waiting, reason) => {
    const status = observeRelease(3, [deployment({ release: 3, available: 0 })], [pod(3, waiting, 4)]);
    expect(status).toMatchObject({ phase: 'failed', reason });
  });

  it('ignores failing pods of an older release', () => {
    expect(observeRelease(3, [deployment({ release: 3, available: 1 })], [pod(2, 'CrashLoopBackOff')]).phase).toBe('rolling_out');
  });

  it('fails on a progress deadline and on a quota refusal in the cluster', () => {
    const deadline = observeRelease(3, [deployment({ release: 3, available: 0, conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: 'too slow' }] })], []);
    expect(deadline).toMatchObject({ phase: 'failed', reason: 'progress_deadline', message: 'too slow' });
    const quota = observeRelease(3, [deployment({ release: 3, available: 0, conditions: [{ type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message: 'pods "web-x" is forbidden: exceeded quota' }] })], []);
    expect(quota).toMatchObject({ phase: 'failed', reason: 'quota_exceeded' });
  });
});
