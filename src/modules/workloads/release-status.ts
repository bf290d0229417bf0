// A release's live phase, computed from what the cluster reports: pure, so every rule is unit-tested
// on the status shapes real kubelets, controllers and admission plugins write.
//
// Problems are either final at once (an image that cannot be pulled, a root image under runAsNonRoot,
// a pod template Pod Security or a LimitRange rejects: retrying cannot help) or established only by
// persistence: restarts reaching the environment's threshold, or the Deployment's progress deadline.
// One crash during warm-up therefore is not a failure.
import type { KubeObject } from '../clusters/kube/kube-gateway.js';
import type { FinalReason, PhaseStatus, WaitingReason } from '../releases/release-phase.js';

export interface ProcessStatus {
  type: string;
  desired: number;
  ready: number;
  updated: number;
  available: number;
}

export interface PodSummary {
  name: string;
  process_type: string | null;
  release: number | null;
  phase: string;
  ready: boolean;
  restarts: number;
  reason: string | null;
}

export interface ObservedStatus extends PhaseStatus {
  processes: ProcessStatus[];
  pods: PodSummary[];
}

export interface FailurePolicy {
  /** Restarts of one container that make a crash loop a failure (never below 2). */
  restartThreshold: number;
  /** The uid Berth runs images as (security_profile restricted): a crash may be a permission error. */
  runAsUser?: number;
}

export const DEFAULT_POLICY: FailurePolicy = { restartThreshold: 3 };

type Obj = KubeObject & { spec?: Record<string, unknown>; status?: Record<string, unknown> };

interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

interface ContainerState {
  waiting?: { reason?: string; message?: string };
  running?: { startedAt?: string };
  terminated?: { reason?: string; exitCode?: number; message?: string };
}

interface ContainerStatus {
  name?: string;
  image?: string;
  ready?: boolean;
  restartCount?: number;
  state?: ContainerState;
  lastState?: ContainerState;
}

interface PodStatus {
  phase?: string;
  conditions?: Condition[];
  containerStatuses?: ContainerStatus[];
  initContainerStatuses?: ContainerStatus[];
}

/** One thing that keeps a release from succeeding; `final` ones fail it at once. */
export interface Problem {
  reason: WaitingReason | FinalReason;
  message: string;
  final: boolean;
  /** What the problem becomes when the progress deadline passes (established failure). */
  atDeadline: FinalReason;
}

const PULL_ERRORS = new Set(['ErrImagePull', 'ImagePullBackOff', 'InvalidImageName', 'ErrImageNeverPull', 'RegistryUnavailable']);
const ROOT_IMAGE = /runAsNonRoot and image (will run as root|has non-numeric user)/;

export function summarisePod(pod: Obj): PodSummary {
  const status = (pod.status ?? {}) as PodStatus;
  const containers = status.containerStatuses ?? [];
  const waiting = containers.map((c) => c.state?.waiting?.reason ?? c.state?.terminated?.reason).find((r): r is string => typeof r === 'string') ?? null;
  const labels = pod.metadata.labels ?? {};
  return {
    name: pod.metadata.name,
    process_type: labels['berth.dev/process-type'] ?? null,
    release: labels['berth.dev/release'] ? Number(labels['berth.dev/release']) : null,
    phase: status.phase ?? 'Unknown',
    ready: (status.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True'),
    restarts: containers.reduce((n, c) => n + (c.restartCount ?? 0), 0),
    reason: waiting,
  };
}

/** What a pod's containers and scheduling say, most decisive first. */
export function podProblems(pod: Obj, policy: FailurePolicy = DEFAULT_POLICY): Problem[] {
  const status = (pod.status ?? {}) as PodStatus;
  const name = pod.metadata.name;
  const problems: Problem[] = [];
  for (const c of [...(status.initContainerStatuses ?? []), ...(status.containerStatuses ?? [])]) {
    const container = c.name ?? '?';
    const waiting = c.state?.waiting;
    const restarts = c.restartCount ?? 0;
    const lastExit = c.lastState?.terminated ?? c.state?.terminated;
    // Down right now (not merely restarted once and warming up again).
    const down = waiting?.reason === 'CrashLoopBackOff' || c.state?.terminated !== undefined;
    if (waiting?.reason && PULL_ERRORS.has(waiting.reason)) {
      problems.push({
        reason: 'image_pull_error',
        // One ErrImagePull may be a registry hiccup; once the kubelet backs off, it has failed twice.
        final: waiting.reason !== 'ErrImagePull' && waiting.reason !== 'RegistryUnavailable',
        atDeadline: 'image_pull_error',
        message: `image "${c.image ?? '?'}" cannot be pulled (${waiting.reason}${waiting.message ? `: ${waiting.message}` : ''}); check the image name and tag, and that the team has registry credentials for its registry`,
      });
    } else if (waiting?.reason === 'CreateContainerConfigError' && ROOT_IMAGE.test(waiting.message ?? '')) {
      problems.push({
        reason: 'runs_as_root',
        final: true,
        atDeadline: 'runs_as_root',
        message: `container ${container} of pod ${name}: ${waiting.message}; build the image with a numeric non-root USER, or set the environment's security_profile to "restricted" (runs it as uid 10001) or "root" where the cluster allows it`,
      });
    } else if (waiting?.reason === 'CreateContainerConfigError' || waiting?.reason === 'CreateContainerError' || waiting?.reason === 'RunContainerError') {
      problems.push({
        reason: 'container_config_error',
        final: false,
        atDeadline: 'container_config_error',
        message: `container ${container} of pod ${name} cannot start (${waiting.reason}: ${waiting.message ?? 'no detail'}); fix the image or the process command`,
      });
    } else if (lastExit?.reason === 'OOMKilled' && !c.ready) {
      const final = down && restarts >= policy.restartThreshold;
      problems.push({
        reason: final ? 'oom_killed' : 'restarting',
        final,
        atDeadline: 'oom_killed',
        message: `container ${container} of pod ${name} was killed for exceeding its memory limit (OOMKilled, ${restarts} restart${restarts === 1 ? '' : 's'}); choose a larger size in the formation or lower the app's memory use`,
      });
    } else if (waiting?.reason === 'CrashLoopBackOff' || (restarts > 0 && !c.ready && lastExit)) {
      const final = down && restarts >= policy.restartThreshold;
      const exit = lastExit ? ` (last exit: ${lastExit.reason ?? 'Error'}, code ${lastExit.exitCode ?? '?'})` : '';
      problems.push({
        reason: final ? 'crash_loop' : 'restarting',
        final,
        atDeadline: 'crash_loop',
        message: final
          ? `container ${container} of pod ${name} keeps crashing: ${restarts} restarts${exit}; read its logs with previous=true${policy.runAsUser !== undefined ? `. It runs as uid ${policy.runAsUser} (security_profile restricted): an image that needs root fails with permission errors; use an unprivileged variant of the image, or security_profile root where a platform admin allows it` : ''}`
          : `container ${container} of pod ${name} restarted ${restarts} time${restarts === 1 ? '' : 's'}${exit}; the release fails after ${policy.restartThreshold} restarts`,
      });
    }
  }
  const scheduled = (status.conditions ?? []).find((c) => c.type === 'PodScheduled' && c.status === 'False' && c.reason === 'Unschedulable');
  if (scheduled) {
    problems.push({
      reason: 'unschedulable',
      final: false,
      atDeadline: 'unschedulable',
      message: `pod ${name} cannot be scheduled: ${scheduled.message ?? 'no node fits it'}; choose a smaller size, fewer replicas, or ask a platform admin for capacity`,
    });
  }
  return problems;
}

/**
 * What the Deployment's ReplicaFailure condition says. The deployment controller copies it from the
 * ReplicaSet, whose controller sets it from the API server's answer when creating a pod was refused
 * (admission: Pod Security, ResourceQuota, LimitRange).
 */
export function replicaFailureProblem(message: string): Problem {
  if (/violates PodSecurity/.test(message)) {
    return { reason: 'pod_security_rejected', final: true, atDeadline: 'pod_security_rejected', message: `the cluster's Pod Security admission refused the pods: ${message}; choose an environment security_profile the namespace's policy allows, or ask a platform admin` };
  }
  if (/exceeded quota/.test(message)) {
    return { reason: 'waiting_for_quota', final: false, atDeadline: 'quota_exceeded', message: `waiting for quota: ${message}; scale something down or ask for a larger quota` };
  }
  if (/(maximum|minimum) \S+ usage per (Container|Pod)|limit to request ratio/.test(message)) {
    return { reason: 'limit_range_rejected', final: true, atDeadline: 'limit_range_rejected', message: `the namespace's LimitRange refused the pods: ${message}; choose a process size within its limits` };
  }
  return { reason: 'pod_create_failed', final: false, atDeadline: 'pod_create_failed', message: `the cluster refused to create pods: ${message}` };
}

function conditionsOf(d: Obj): Condition[] {
  const status = (d.status ?? {}) as { observedGeneration?: number; conditions?: Condition[] };
  const generation = (d.metadata as { generation?: number }).generation ?? 0;
  // Conditions of a template the controller has not seen yet describe the previous rollout.
  if ((status.observedGeneration ?? 0) < generation) return [];
  return status.conditions ?? [];
}

export function observeRelease(releaseNumber: number, deployments: Obj[], pods: Obj[], policy: FailurePolicy = DEFAULT_POLICY): ObservedStatus {
  const podSummaries = pods.map(summarisePod);
  const processes: ProcessStatus[] = deployments.map((d) => {
    const spec = (d.spec ?? {}) as { replicas?: number };
    const st = (d.status ?? {}) as { readyReplicas?: number; updatedReplicas?: number; availableReplicas?: number };
    return {
      type: d.metadata.labels?.['berth.dev/process-type'] ?? d.metadata.name,
      desired: spec.replicas ?? 1,
      ready: st.readyReplicas ?? 0,
      updated: st.updatedReplicas ?? 0,
      available: st.availableReplicas ?? 0,
    };
  });
  const base = { processes, pods: podSummaries };
  const current = pods.filter((p) => Number(p.metadata.labels?.['berth.dev/release']) === releaseNumber);
  const problems: Problem[] = current.flatMap((p) => podProblems(p, policy));
  let deadline: Condition | undefined;
  for (const d of deployments) {
    const conditions = conditionsOf(d);
    const failure = conditions.find((c) => c.type === 'ReplicaFailure' && c.status === 'True');
    if (failure) problems.push(replicaFailureProblem(failure.message ?? failure.reason ?? 'FailedCreate'));
    deadline ??= conditions.find((c) => c.type === 'Progressing' && c.status === 'False' && c.reason === 'ProgressDeadlineExceeded');
  }
  const final = problems.find((p) => p.final);
  if (final) return { ...base, phase: 'failed', reason: final.reason as FinalReason, message: final.message };
  if (deadline) {
    const cause = problems[0];
    return cause
      ? { ...base, phase: 'failed', reason: cause.atDeadline, message: `no progress within the progress deadline: ${cause.message}` }
      : { ...base, phase: 'failed', reason: 'progress_deadline', message: `${deadline.message ?? 'the rollout made no progress in time'}; the pods never became ready: check the health check path and port, and the logs` };
  }
  const done = deployments.length > 0 && deployments.every((d) => rolledOut(d, releaseNumber));
  if (done) return { ...base, phase: 'succeeded', reason: null, message: null };
  const waiting = problems[0];
  if (waiting) return { ...base, phase: 'rolling_out', reason: waiting.reason, message: waiting.message };
  return { ...base, phase: 'rolling_out', reason: 'waiting_for_pods', message: waitingMessage(deployments, processes, releaseNumber) };
}

function waitingMessage(deployments: Obj[], processes: ProcessStatus[], releaseNumber: number): string {
  if (deployments.length === 0) return `waiting for the Deployments of v${releaseNumber} to appear`;
  const parts = processes.map((p) => `${Math.min(p.updated, p.available)}/${p.desired} ${p.type}`);
  return `waiting for pods of v${releaseNumber} to be ready: ${parts.join(', ')}`;
}

function rolledOut(d: Obj, releaseNumber: number): boolean {
  const spec = (d.spec ?? {}) as { replicas?: number; template?: { metadata?: { annotations?: Record<string, string> } } };
  const st = (d.status ?? {}) as { observedGeneration?: number; updatedReplicas?: number; availableReplicas?: number; replicas?: number };
  const generation = (d.metadata as { generation?: number }).generation ?? 0;
  const desired = spec.replicas ?? 1;
  const release = spec.template?.metadata?.annotations?.['berth.dev/release'];
  if (release !== undefined && Number(release) !== releaseNumber) return false;
  return (st.observedGeneration ?? 0) >= generation && (st.updatedReplicas ?? 0) >= desired && (st.availableReplicas ?? 0) >= desired && (st.replicas ?? 0) <= desired;
}
