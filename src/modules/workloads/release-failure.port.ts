// What happens when the status observer establishes that a release failed: bound in the workloads
// module to the automatic rollback. Its failure is logged, never the observer's.
export interface ReleaseFailure {
  teamId: string;
  environmentId: string;
  releaseNumber: number;
  reason: string | null;
}

export abstract class ReleaseFailureHandler {
  abstract releaseFailed(event: ReleaseFailure): Promise<unknown>;
}
