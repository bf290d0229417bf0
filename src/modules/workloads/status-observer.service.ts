// Follows a release on its cluster until it ends: reads the Deployments and Pods Berth created,
// computes the phase and reason, records them on the newest release and on the environment, and asks
// for another look shortly while the rollout is still moving. The cluster's informers (see
// ClusterInformers) trigger a look as soon as something changes, and answer it from their cache
// (no request) once they have listed the cluster; the delay is only a fallback. Older releases need
// no look: a new release supersedes them when it is created.
import { Injectable, Logger } from '@nestjs/common';
import { KubeError } from '../clusters/kube/kube-errors.js';
import type { KubeObject } from '../clusters/kube/kube-gateway.js';
import { MetricsService } from '../../common/metrics/metrics.service.js';
import { isTerminal } from '../releases/release-phase.js';
import { RetryLater, WorkQueueService } from '../work-queue/work-queue.service.js';
import { observeRelease, type ObservedStatus } from './release-status.js';
import { ReleaseFailureHandler } from './release-failure.port.js';
import { ReleaseStatusWriter, type Settling } from './release-status-writer.js';
import { DEFAULT_RUN_AS, profileOf } from './render/security.js';
import { ReconcilerService } from './reconciler.service.js';
import { OBSERVE_TASK, RECONCILE_TASK } from './tasks.js';
import { ClusterInformers } from './cluster-informers.service.js';
import { WorkloadsRepository, type ReconcileContext } from './workloads.repository.js';
import type { JobRequest } from '../work-queue/job-specs.js';

/** One environment looked at: its status to record and the jobs that follow. */
interface Look {
  settling: Settling;
  status: ObservedStatus;
  jobs: JobRequest[];
}

@Injectable()
export class StatusObserverService {
  private readonly logger = new Logger('StatusObserver');

  constructor(
    private readonly repository: WorkloadsRepository,
    private readonly reconciler: ReconcilerService,
    private readonly queue: WorkQueueService,
    private readonly metrics: MetricsService,
    private readonly writer: ReleaseStatusWriter,
    private readonly onFailure: ReleaseFailureHandler,
    private readonly informers: ClusterInformers,
  ) {}

  async observe(environmentId: string, attempt: number): Promise<ObservedStatus | null> {
    // One statement for the environment and its newest release (a look runs at every step of every rollout).
    const context = await this.repository.loadReconcile(environmentId);
    if (!context) return null;
    const look = await this.look(context, attempt, false);
    if (!look || look === 'uncached') return null;
    await this.record([look]);
    return look.status;
  }

  /**
   * Looks at many environments at once (a start, a team's change, a burst of rollouts): one statement
   * reads them, each status comes from its cluster's informer cache (no request), one statement
   * settles them all and one queues what follows. Answers the environments it could not look at
   * that way (no complete cache, an error): each needs a look of its own.
   */
  async observeMany(environmentIds: readonly string[]): Promise<string[]> {
    const contexts = await this.repository.loadReconciles(environmentIds);
    const looks: Look[] = [];
    const alone: string[] = [];
    for (const context of contexts) {
      try {
        const look = await this.look(context, 0, true);
        if (look === 'uncached') alone.push(context.state.id);
        else if (look) looks.push(look);
      } catch (error) {
        this.logger.warn({ err: error, environmentId: context.state.id }, 'a look in a batch failed; it gets a job of its own');
        alone.push(context.state.id);
      }
    }
    await this.record(looks);
    return alone;
  }

  /** What the cluster says of an environment's newest release, and what follows (null: nothing to look at). */
  private async look(context: ReconcileContext, attempt: number, cacheOnly: boolean): Promise<Look | 'uncached' | null> {
    const { state } = context;
    const environmentId = state.id;
    if (!state.clusterId || state.state === 'deleting') return null;
    const release = context.releases[0];
    if (!release) return null;
    const namespace = `${state.app.name}-${state.name}`;
    let status: ObservedStatus;
    try {
      // Informers still listing the cluster (a start, a takeover): their answer is seconds away, and
      // reading the cluster meanwhile would be two lists per environment (every environment is looked
      // at after a start).
      if (this.informers.state(state.clusterId) === 'starting') await this.informers.whenSynced(state.clusterId, 30_000);
      const cached = this.informers.liveStatus(state.clusterId, namespace, state.id);
      if (!cached && cacheOnly) return 'uncached';
      const [deployments, pods] = cached ? [cached.deployments, cached.pods] : await this.list(state.clusterId, namespace, state.id);
      const runAsUser = profileOf(state.securityProfile) === 'restricted' ? DEFAULT_RUN_AS : undefined;
      status = observeRelease(release.number, deployments, pods, { restartThreshold: Math.max(2, state.failureRestartThreshold), runAsUser });
    } catch (error) {
      if (!(error instanceof KubeError)) throw error;
      if (error.kind === 'unreachable') await this.writer.unreachable(state, error.cluster, error.message);
      throw new RetryLater(error.message, error.retryAfterMs);
    }
    const jobs: JobRequest[] = [];
    const applied = state.appliedGeneration >= state.desiredGeneration;
    const missing = applied ? missingDeployments(state.appliedObjects, status.processes.length) : 0;
    if (missing > 0) {
      // Someone deleted what Berth applied (a Deployment, the whole namespace): repair it now rather
      // than at the next resync. The reconcile's resync re-applies whatever is missing.
      jobs.push({ task: RECONCILE_TASK, payload: { environmentId, resync: true, jobKey: `reconcile:${environmentId}` }, options: { jobKey: `reconcile:${environmentId}` } });
      if (!isTerminal(status.phase)) status = { ...status, message: `${status.message}; ${missing} Deployment${missing === 1 ? '' : 's'} Berth applied ${missing === 1 ? 'is' : 'are'} missing on the cluster and being re-created` };
    }
    if (status.phase === 'rolling_out' && !applied) {
      // The cluster still runs what was applied before; the reconciler has yet to apply this.
      status = { ...status, phase: 'applying', ...(status.reason === 'waiting_for_pods' ? { reason: 'applying', message: `waiting for Berth to apply v${release.number}` } : {}) };
    }
    if (!isTerminal(status.phase)) {
      // Still moving: look again soon (watch events usually come first).
      const delay = Math.min(5000, 250 * 2 ** Math.min(attempt, 5));
      jobs.push({ task: OBSERVE_TASK, payload: { environmentId, jobKey: `observe:${environmentId}`, attempt: attempt + 1 }, options: { jobKey: `observe:${environmentId}`, runAt: new Date(Date.now() + delay) } });
    }
    return { settling: { state, newest: release, status, live: { processes: status.processes, pods: status.pods } }, status, jobs };
  }

  /**
   * Queues what the looks ask for (a repair, the next look), then records their statuses (one
   * statement), then reacts to the releases that just ended.
   */
  private async record(looks: readonly Look[]): Promise<void> {
    if (!looks.length) return;
    await this.queue.enqueueMany(looks.flatMap((l) => l.jobs));
    const changed = await this.writer.settleMany(looks.map((l) => l.settling));
    for (const { settling, status } of looks) {
      const { state, newest: release } = settling;
      if (!changed.has(state.id) || !release) continue;
      if (status.phase === 'failed' || status.phase === 'succeeded') {
        this.metrics.releaseDuration.observe({ outcome: status.phase }, (Date.now() - release.createdAt.getTime()) / 1000);
      }
      if (status.phase === 'failed') {
        await this.onFailure.releaseFailed({ teamId: state.teamId, environmentId: state.id, releaseNumber: release.number, reason: status.reason }).catch((err: unknown) =>
          this.logger.error({ err, environmentId: state.id }, 'release-failed handler failed'),
        );
      }
    }
  }

  private async list(clusterId: string, namespace: string, environmentId: string): Promise<[KubeObject[], KubeObject[]]> {
    const gateway = await this.reconciler.gatewayFor(clusterId);
    const selector = `berth.dev/environment-id=${environmentId}`;
    return Promise.all([gateway.list('apps/v1', 'Deployment', namespace, selector), gateway.list('v1', 'Pod', namespace, selector)]);
  }
}

/** How many Deployments Berth applied are not on the cluster (applied entries are `apps/v1/Deployment/<ns>/<name>#hash`). */
export function missingDeployments(appliedObjects: readonly string[], live: number): number {
  return Math.max(0, appliedObjects.filter((entry) => entry.startsWith('apps/v1/Deployment/')).length - live);
}
