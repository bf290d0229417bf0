// Release phase rules, on status objects shaped as real kubelets, controllers and admission plugins
// write them (kubelet kuberuntime/sync messages, ReplicaSet FailedCreate conditions, scheduler
// PodScheduled conditions, deployment controller Progressing conditions).
import { describe, expect, it } from '@jest/globals';
import { observeRelease, podProblems, replicaFailureProblem } from '../../../src/modules/workloads/release-status.js';
import { FINAL_REASONS, RELEASE_REASONS, WAITING_REASONS, isTerminal } from '../../../src/modules/releases/release-phase.js';
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

type ContainerStatus = Record<string, unknown>;

function podWith(release: number, container: ContainerStatus, extra: { conditions?: unknown[]; phase?: string } = {}): KubeObject {
  const ready = container.ready === true;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `web-7d9f8c6b5-x${release}`, labels: { 'berth.dev/process-type': 'web', 'berth.dev/release': String(release) } },
    status: {
      phase: extra.phase ?? (ready ? 'Running' : 'Pending'),
      conditions: extra.conditions ?? [
        { type: 'Ready', status: ready ? 'True' : 'False', ...(ready ? {} : { reason: 'ContainersNotReady', message: 'containers with unready status: [web]' }) },
        { type: 'PodScheduled', status: 'True' },
      ],
      containerStatuses: [{ name: 'web', image: 'registry.example.com/shop/web:1', restartCount: 0, started: ready, ready, ...container }],
    },
  };
}

const waiting = (reason: string, message?: string, more: ContainerStatus = {}) => ({ state: { waiting: { reason, ...(message ? { message } : {}) } }, ...more });
const running = (restarts = 0, lastState: unknown = {}) => ({ ready: true, restartCount: restarts, state: { running: { startedAt: '2026-12-01T10:00:00Z' } }, lastState });
const crashed = (restarts: number, reason = 'Error', exitCode = 1) => ({
  restartCount: restarts,
  state: { waiting: { reason: 'CrashLoopBackOff', message: `back-off 10s restarting failed container=web pod=web-x_ns(uid)` } },
  lastState: { terminated: { exitCode, reason, startedAt: '2026-12-01T10:00:00Z', finishedAt: '2026-12-01T10:00:02Z' } },
});

const rollingOut = (n = 3) => [deployment({ release: n, available: 0, updated: 2 })];

describe('release status', () => {
  it('succeeds once every deployment runs the release with all replicas available', () => {
    const status = observeRelease(3, [deployment({ release: 3 })], [podWith(3, running()), podWith(3, running())]);
    expect(status).toMatchObject({ phase: 'succeeded', reason: null });
    expect(status.processes).toEqual([{ type: 'web', desired: 2, ready: 2, updated: 2, available: 2 }]);
  });

  it('is rolling out, saying how many pods are ready, while replicas are missing, the generation is unobserved, or old pods linger', () => {
    const missing = observeRelease(3, [deployment({ release: 3, available: 1 })], []);
    expect(missing).toMatchObject({ phase: 'rolling_out', reason: 'waiting_for_pods', message: 'waiting for pods of v3 to be ready: 1/2 web' });
    expect(observeRelease(3, [deployment({ release: 3, observed: 1 })], []).phase).toBe('rolling_out');
    expect(observeRelease(3, [deployment({ release: 3, statusReplicas: 3 })], []).phase).toBe('rolling_out');
    expect(observeRelease(3, [deployment({ release: 2 })], [])).toMatchObject({ phase: 'rolling_out', reason: 'waiting_for_pods' });
    expect(observeRelease(3, [], [])).toMatchObject({ phase: 'rolling_out', reason: 'waiting_for_pods', message: 'waiting for the Deployments of v3 to appear' });
  });

  it('fails on an image the kubelet backs off pulling, but not on a single ErrImagePull', () => {
    const first = observeRelease(3, rollingOut(), [podWith(3, waiting('ErrImagePull', 'rpc error: code = NotFound desc = failed to pull and unpack image "registry.example.com/shop/web:nope": not found'))]);
    expect(first).toMatchObject({ phase: 'rolling_out', reason: 'image_pull_error' });
    const backoff = observeRelease(3, rollingOut(), [podWith(3, waiting('ImagePullBackOff', 'Back-off pulling image "registry.example.com/shop/web:nope"'))]);
    expect(backoff).toMatchObject({ phase: 'failed', reason: 'image_pull_error' });
    expect(backoff.message).toMatch(/cannot be pulled \(ImagePullBackOff: Back-off pulling image .*registry credentials/);
    expect(observeRelease(3, rollingOut(), [podWith(3, waiting('InvalidImageName', 'Failed to apply default image tag "Web:1": couldn\'t parse image name'))]).phase).toBe('failed');
  });

  it('fails at once on a root image under runAsNonRoot (CreateContainerConfigError), saying what to do', () => {
    const message = 'container has runAsNonRoot and image will run as root (pod: "web-7d9f8c6b5-x3_shop-staging(5f1c…)", container: web)';
    const status = observeRelease(3, rollingOut(), [podWith(3, waiting('CreateContainerConfigError', message))]);
    expect(status).toMatchObject({ phase: 'failed', reason: 'runs_as_root' });
    expect(status.message).toContain(message);
    expect(status.message).toMatch(/security_profile/);
    const nonNumeric = observeRelease(3, rollingOut(), [podWith(3, waiting('CreateContainerConfigError', 'container has runAsNonRoot and image has non-numeric user (app), cannot verify user is non-root (pod: "web_ns(uid)", container: web)'))]);
    expect(nonNumeric).toMatchObject({ phase: 'failed', reason: 'runs_as_root' });
  });

  it('waits on other container config errors (a Secret not there yet) and fails with that reason at the deadline', () => {
    const pods = [podWith(3, waiting('CreateContainerConfigError', 'secret "release-v3" not found'))];
    expect(observeRelease(3, rollingOut(), pods)).toMatchObject({ phase: 'rolling_out', reason: 'container_config_error' });
    const late = observeRelease(3, [deployment({ release: 3, available: 0, conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: 'ReplicaSet "web-7d9f8c6b5" has timed out progressing.' }] })], pods);
    expect(late).toMatchObject({ phase: 'failed', reason: 'container_config_error' });
    expect(late.message).toMatch(/^no progress within the progress deadline: .*secret "release-v3" not found/);
  });

  it('does not fail on one crash: a container that restarted once and now runs is fine', () => {
    expect(observeRelease(3, rollingOut(), [podWith(3, crashed(1))])).toMatchObject({ phase: 'rolling_out', reason: 'restarting' });
    const recovered = observeRelease(3, [deployment({ release: 3, replicas: 1 })], [podWith(3, running(1, { terminated: { exitCode: 1, reason: 'Error' } }))]);
    expect(recovered).toMatchObject({ phase: 'succeeded', reason: null });
    expect(recovered.pods[0]).toMatchObject({ restarts: 1, ready: true });
  });

  it('fails a crash loop once restarts reach the threshold, and not before', () => {
    expect(observeRelease(3, rollingOut(), [podWith(3, crashed(2))], { restartThreshold: 3 }).phase).toBe('rolling_out');
    const failed = observeRelease(3, rollingOut(), [podWith(3, crashed(3))], { restartThreshold: 3 });
    expect(failed).toMatchObject({ phase: 'failed', reason: 'crash_loop' });
    expect(failed.message).toMatch(/keeps crashing: 3 restarts \(last exit: Error, code 1\); read its logs with previous=true/);
    expect(observeRelease(3, rollingOut(), [podWith(3, crashed(3))], { restartThreshold: 5 }).phase).toBe('rolling_out');
    // Under the default profile the message names the uid, the likely cause for images that need root.
    expect(observeRelease(3, rollingOut(), [podWith(3, crashed(3))], { restartThreshold: 3, runAsUser: 10001 }).message).toMatch(/runs as uid 10001 .*security_profile root/);
    // Restarted often but up again and warming: not failed while it runs.
    expect(observeRelease(3, rollingOut(), [podWith(3, { ...running(4, { terminated: { exitCode: 1, reason: 'Error' } }), ready: false })], { restartThreshold: 3 }).phase).toBe('rolling_out');
  });

  it('recognises OOMKilled from lastState.terminated and tells the user to choose a larger size', () => {
    const once = observeRelease(3, rollingOut(), [podWith(3, crashed(1, 'OOMKilled', 137))]);
    expect(once).toMatchObject({ phase: 'rolling_out', reason: 'restarting' });
    expect(once.message).toMatch(/OOMKilled/);
    const established = observeRelease(3, rollingOut(), [podWith(3, crashed(3, 'OOMKilled', 137))]);
    expect(established).toMatchObject({ phase: 'failed', reason: 'oom_killed' });
    expect(established.message).toMatch(/larger size/);
  });

  it('waits on an unschedulable pod and fails as unschedulable at the deadline', () => {
    const pod = podWith(3, waiting('ContainerCreating'), {
      conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.' }],
    });
    pod.status = { phase: 'Pending', conditions: (pod.status as { conditions: unknown[] }).conditions };
    const now = observeRelease(3, rollingOut(), [pod]);
    expect(now).toMatchObject({ phase: 'rolling_out', reason: 'unschedulable' });
    expect(now.message).toMatch(/Insufficient cpu.*smaller size/);
    const late = observeRelease(3, [deployment({ release: 3, available: 0, conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' }] })], [pod]);
    expect(late).toMatchObject({ phase: 'failed', reason: 'unschedulable' });
  });

  it('classifies FailedCreate from admission: Pod Security and LimitRange fail at once, quota waits until the deadline', () => {
    const replicaFailure = (message: string) => [deployment({ release: 3, available: 0, conditions: [{ type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message }] })];
    const psa = observeRelease(3, replicaFailure('pods "web-7d9f8c6b5-abcde" is forbidden: violates PodSecurity "restricted:latest": runAsNonRoot != true (pod or container "web" must set securityContext.runAsNonRoot=true)'), []);
    expect(psa).toMatchObject({ phase: 'failed', reason: 'pod_security_rejected' });
    expect(psa.message).toMatch(/Pod Security admission refused.*security_profile/);
    const limits = observeRelease(3, replicaFailure('pods "web-7d9f8c6b5-abcde" is forbidden: maximum cpu usage per Container is 500m, but limit is 1'), []);
    expect(limits).toMatchObject({ phase: 'failed', reason: 'limit_range_rejected' });
    const quotaText = 'pods "web-7d9f8c6b5-abcde" is forbidden: exceeded quota: berth-quota, requested: limits.cpu=1, used: limits.cpu=2, limited: limits.cpu=2';
    expect(observeRelease(3, replicaFailure(quotaText), [])).toMatchObject({ phase: 'rolling_out', reason: 'waiting_for_quota' });
    const late = observeRelease(3, [deployment({ release: 3, available: 0, conditions: [{ type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message: quotaText }, { type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: 'too slow' }] })], []);
    expect(late).toMatchObject({ phase: 'failed', reason: 'quota_exceeded' });
    expect(replicaFailureProblem('Internal error occurred: failed calling webhook "x"')).toMatchObject({ reason: 'pod_create_failed', final: false });
  });

  it('fails on the progress deadline with a plain reason when nothing more specific is known', () => {
    const deadline = observeRelease(3, [deployment({ release: 3, available: 0, conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: 'too slow' }] })], []);
    expect(deadline).toMatchObject({ phase: 'failed', reason: 'progress_deadline' });
    expect(deadline.message).toMatch(/^too slow; .*health check/);
  });

  it('ignores conditions of a template the controller has not observed yet (the previous rollout)', () => {
    const stale = observeRelease(3, [deployment({ release: 3, available: 0, generation: 3, observed: 2, conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' }] })], []);
    expect(stale.phase).toBe('rolling_out');
  });

  it('ignores failing pods of an older release', () => {
    expect(observeRelease(3, [deployment({ release: 3 })], [podWith(2, crashed(9))]).phase).toBe('succeeded');
  });

  it('gives every non-terminal status a reason and a message', () => {
    const samples = [
      observeRelease(3, rollingOut(), []),
      observeRelease(3, rollingOut(), [podWith(3, crashed(1))]),
      observeRelease(3, rollingOut(), [podWith(3, waiting('ErrImagePull', 'x'))]),
      observeRelease(3, [], []),
    ];
    for (const s of samples) {
      expect(isTerminal(s.phase)).toBe(false);
      expect(WAITING_REASONS).toContain(s.reason);
      expect(s.message).toEqual(expect.any(String));
    }
    expect(new Set(RELEASE_REASONS)).toEqual(new Set([...WAITING_REASONS, ...FINAL_REASONS]));
    expect(podProblems(podWith(3, running()))).toEqual([]);
  });
});
