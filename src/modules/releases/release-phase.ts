// The release phase model (docs/releases.md): every release ends in a terminal phase, and every
// non-terminal phase carries a reason code and a message a person can act on.

export const RELEASE_PHASES = ['pending', 'applying', 'rolling_out', 'succeeded', 'failed', 'superseded'] as const;
export type ReleasePhase = (typeof RELEASE_PHASES)[number];

export const TERMINAL_PHASES: readonly ReleasePhase[] = ['succeeded', 'failed', 'superseded'];

export function isTerminal(phase: string): boolean {
  return (TERMINAL_PHASES as readonly string[]).includes(phase);
}

/**
 * Reasons a release (or its environment) is still waiting: the phase is pending, applying or rolling_out.
 * Every code here and in FINAL_REASONS is listed in docs/releases.md (test/unit/releases/reasons-documented.spec.ts).
 * A status not re-read since a restart is flagged by `verified: false`, not by a reason.
 */
export const WAITING_REASONS = [
  'queued',
  'no_matching_cluster',
  'cluster_unreachable',
  'namespace_terminating',
  'applying',
  'waiting_for_pods',
  'image_pull_error',
  'restarting',
  'waiting_for_quota',
  'unschedulable',
  'container_config_error',
  'pod_create_failed',
] as const;

/** Why a release failed (phase failed), or `superseded`. */
export const FINAL_REASONS = [
  'image_pull_error',
  'crash_loop',
  'oom_killed',
  'runs_as_root',
  'pod_security_rejected',
  'limit_range_rejected',
  'quota_exceeded',
  'unschedulable',
  'container_config_error',
  'pod_create_failed',
  'progress_deadline',
  'security_profile_not_allowed',
  'environment_deleted',
  'superseded',
] as const;

export const RELEASE_REASONS = [...new Set<string>([...WAITING_REASONS, ...FINAL_REASONS])] as ReadonlyArray<WaitingReason | FinalReason>;
export type WaitingReason = (typeof WAITING_REASONS)[number];
export type FinalReason = (typeof FINAL_REASONS)[number];
export type ReleaseReason = WaitingReason | FinalReason;

/** A phase with its reason; `reason` and `message` are null only for succeeded. */
export interface PhaseStatus {
  phase: ReleasePhase;
  reason: ReleaseReason | null;
  message: string | null;
}

export const QUEUED: PhaseStatus = { phase: 'pending', reason: 'queued', message: 'accepted; waiting for Berth to apply it to a cluster' };

export function supersededStatus(by: number): PhaseStatus {
  return { phase: 'superseded', reason: 'superseded', message: `replaced by v${by} before it finished; follow v${by} instead` };
}
