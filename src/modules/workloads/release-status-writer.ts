// Records a release's phase together with its environment's status, so both always say the same
// thing and a non-terminal phase never lacks a current reason (docs/releases.md).
import { Injectable } from '@nestjs/common';
import { TransactionHost } from '../../database/prisma.service.js';
import type { Prisma } from '../../generated/prisma/client.js';
import { isTerminal, type PhaseStatus } from '../releases/release-phase.js';
import type { PodSummary, ProcessStatus } from './release-status.js';
import { WorkloadsRepository, type EnvironmentState, type ReleaseState, type StatusToSettle } from './workloads.repository.js';

export interface EnvironmentStatus extends PhaseStatus {
  /** The release the environment is converging to (its newest), null before the first deploy. */
  release: number | null;
  processes: ProcessStatus[];
  pods: PodSummary[];
  /** When Berth last read this from the cluster; null when it comes from Berth's own bookkeeping. */
  observed_at: string | null;
  /** False until the cluster has been read since Berth (re)started or lost contact with it. */
  verified: boolean;
}

/** An environment's newest release and status to settle together (ReleaseStatusWriter.settle). */
export interface Settling {
  state: EnvironmentState;
  newest: ReleaseState | null;
  status: PhaseStatus;
  live?: { processes: ProcessStatus[]; pods: PodSummary[] };
}

@Injectable()
export class ReleaseStatusWriter {
  constructor(
    private readonly repository: WorkloadsRepository,
    private readonly transactions: TransactionHost,
  ) {}

  /**
   * Sets the newest release's phase (unless it already ended) and the environment's status at once
   * (one statement, or the caller's transaction), so no reader sees a failed release beside a
   * rolling-out environment. True when the release changed.
   */
  async settle(state: EnvironmentState, newest: ReleaseState | null, status: PhaseStatus, live?: { processes: ProcessStatus[]; pods: PodSummary[] }): Promise<boolean> {
    const item = toSettle({ state, newest, status, live });
    return this.repository.settleStatus(item.teamId, item.environmentId, item, item.release);
  }

  /** The same for many environments in one statement (outside a transaction); answers those whose release changed. */
  async settleMany(items: readonly Settling[]): Promise<Set<string>> {
    return this.repository.settleStatuses(items.map(toSettle));
  }

  /** Applying was refused or failed: a release still being applied says so (the reconcile retries with backoff). */
  async applyFailed(state: EnvironmentState, clusterName: string, error: string): Promise<void> {
    const newest = await this.repository.newestRelease(state.teamId, state.id);
    if (!newest || (newest.phase !== 'pending' && newest.phase !== 'applying')) return;
    await this.settle(state, newest, { phase: 'applying', reason: 'applying', message: `applying v${newest.number} to cluster ${clusterName} failed, retrying with backoff: ${error}` });
  }

  /**
   * The cluster stopped answering: the newest release (if still moving) and the environment say
   * since when, and the environment's last observation is marked unverified. Repeated failures keep
   * the first "since".
   */
  async unreachable(state: EnvironmentState, clusterName: string, error: string): Promise<void> {
    const message = `cluster ${clusterName} unreachable since ${new Date().toISOString()} (${error}); Berth keeps retrying and continues once it answers`;
    await this.transactions.run(async () => {
      await this.repository.markStatusUnverified(state.teamId, state.id, 'cluster_unreachable', message);
      const newest = await this.repository.newestRelease(state.teamId, state.id);
      if (newest && !isTerminal(newest.phase) && newest.reason !== 'cluster_unreachable') {
        await this.repository.setReleasePhase(state.teamId, newest.id, newest.phase === 'pending' ? 'applying' : newest.phase, 'cluster_unreachable', message);
      }
    });
  }
}

function toSettle({ state, newest, status, live }: Settling): StatusToSettle {
  const release = newest && !isTerminal(newest.phase) ? { id: newest.id, phase: status.phase, reason: status.reason, message: status.message } : null;
  // Berth's own bookkeeping (placement, applying, a namespace being deleted) keeps the last live
  // observation of processes and pods, with its time and whether it was verified.
  const value: object = live
    ? ({ ...status, release: newest?.number ?? null, processes: live.processes, pods: live.pods, observed_at: new Date().toISOString(), verified: true } satisfies EnvironmentStatus)
    : { ...status, release: newest?.number ?? null };
  return { teamId: state.teamId, environmentId: state.id, replace: live !== undefined, value, release };
}
