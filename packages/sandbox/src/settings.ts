/** Timing of the simulated controllers and kubelet. */
export interface SimulationSettings {
  /** Time from pod creation until its containers run (and become Ready). */
  rolloutDelayMs: number;
  /**
   * Multiplier for durations the real cluster measures in seconds: progressDeadlineSeconds,
   * image pull and crash back-off. 0.01 turns a 600 s progress deadline into 6 s.
   */
  timeFactor: number;
  /** How long a deleted namespace stays visible in phase Terminating. */
  namespaceTerminationMs: number;
  /** HPA controller sync period. */
  hpaSyncMs: number;
  /** Interval between simulated log lines (and between lines with follow=true). */
  logIntervalMs: number;
  /** Interval of BOOKMARK events on watches that allow them. */
  bookmarkIntervalMs: number;
}

export const DEFAULT_SETTINGS: SimulationSettings = {
  rolloutDelayMs: 300,
  timeFactor: 0.1,
  namespaceTerminationMs: 500,
  hpaSyncMs: 1000,
  logIntervalMs: 1000,
  bookmarkIntervalMs: 5000,
};

/** A real-cluster duration in seconds, scaled to milliseconds of simulation time. */
export function scaled(seconds: number, s: SimulationSettings): number {
  return Math.max(1, seconds * 1000 * s.timeFactor);
}
