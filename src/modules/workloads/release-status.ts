// A release's live phase, computed from what the cluster reports: pure, so every rule is unit-tested.
import type { KubeObject } from '../clusters/kube/kube-gateway.js';

export type ReleasePhase = 'pending' | 'applying' | 'rolling_out' | 'succeeded' | 'failed';
export type ReleaseReason = 'image_pull_error' | 'crash_loop' | 'progress_deadline' | 'quota_exceeded' | 'cluster_unreachable' | null;

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

export interface ObservedStatus {
  phase: ReleasePhase;
  reason: ReleaseReason;
  message: string | null;
  processes: ProcessStatus[];
  pods: PodSummary[];
}

type Obj = KubeObject & { spec?: Record<string, unknown>; status?: Record<string, unknown> };

interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

const PULL_ERRORS = new Set(['ErrImagePull', 'ImagePullBackOff', 'InvalidImageName', 'ErrImageNeverPull']);

export function summarisePod(pod: Obj): PodSummary {
  const status = (pod.status ?? {}) as { phase?: string; conditions?: Condition[]; containerStatuses?: Array<{ ready?: boolean; restartCount?: number; state?: { waiting?: { reason?: string } } }> };
  const containers = status.containerStatuses ?? [];
  const waiting = containers.map((c) => c.state?.waiting?.reason).find((r): r is string => typeof r === 'string') ?? null;
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

export function observeRelease(releaseNumber: number, deployments: Obj[], pods: Obj[]): ObservedStatus {
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
  const current = podSummaries.filter((p) => p.release === releaseNumber);
  const pull = current.find((p) => p.reason && PULL_ERRORS.has(p.reason));
  if (pull) return { ...base, phase: 'failed', reason: 'image_pull_error', message: `pod ${pull.name}: ${pull.reason}` };
  const crash = current.find((p) => p.reason === 'CrashLoopBackOff');
  if (crash) return { ...base, phase: 'failed', reason: 'crash_loop', message: `pod ${crash.name} keeps crashing (${crash.restarts} restarts)` };
  for (const d of deployments) {
    const conditions = (((d.status ?? {}) as { conditions?: Condition[] }).conditions ?? []);
    const quota = conditions.find((c) => c.type === 'ReplicaFailure' && c.status === 'True' && /quota/i.test(`${c.reason} ${c.message}`));
    if (quota) return { ...base, phase: 'failed', reason: 'quota_exceeded', message: quota.message ?? 'the namespace quota refused pods' };
    const deadline = conditions.find((c) => c.type === 'Progressing' && c.status === 'False' && c.reason === 'ProgressDeadlineExceeded');
    if (deadline) return { ...base, phase: 'failed', reason: 'progress_deadline', message: deadline.message ?? `${d.metadata.name} did not progress in time` };
  }
  const done = deployments.length > 0 && deployments.every((d) => rolledOut(d, releaseNumber));
  if (done) return { ...base, phase: 'succeeded', reason: null, message: null };
  return { ...base, phase: 'rolling_out', reason: null, message: null };
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
