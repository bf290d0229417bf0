// EnvironmentEvents as the workloads side implements it: bump the environment's desired generation
// and enqueue its reconcile, both in the caller's transaction, so the work exists exactly when the
// change does. It needs only the work queue, so feature modules can depend on it without depending
// on the reconciler (which depends on them).
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { EnvironmentEvents } from '../../common/events/environment-events.js';
import { TransactionHost } from '../../database/prisma.service.js';
import { WorkQueueService } from '../work-queue/work-queue.service.js';
import { EnvironmentEventsRepository } from './environment-events.repository.js';
import { CLUSTER_CHANGED_TASK, RECONCILE_BATCH_TASK, RECONCILE_TASK, TEAM_CHANGED_TASK } from './tasks.js';

@Injectable()
export class QueuedEnvironmentEvents extends EnvironmentEvents implements OnModuleInit {
  constructor(
    private readonly repository: EnvironmentEventsRepository,
    private readonly queue: WorkQueueService,
    private readonly tx: TransactionHost,
  ) {
    super();
  }

  onModuleInit(): void {
    this.queue.register(TEAM_CHANGED_TASK, async (payload) => {
      await this.tx.run(async () => this.reconcileAll(await this.repository.bumpTeam(String(payload.teamId))));
    });
    this.queue.register(CLUSTER_CHANGED_TASK, async (payload) => {
      await this.tx.run(async () => this.reconcileAll(await this.repository.bumpCluster(String(payload.changedClusterId))));
    });
  }

  /** Call inside the transaction that changed the environment's desired state. */
  async changed(teamId: string, environmentId: string): Promise<void> {
    await this.tx.run(async () => {
      await this.repository.bumpDesiredGeneration(teamId, environmentId);
      await this.queue.enqueue(RECONCILE_TASK, { environmentId, jobKey: `reconcile:${environmentId}` }, { jobKey: `reconcile:${environmentId}` });
    });
  }

  // Resyncs compare what the cluster holds with what Berth last applied; they do not re-render. So
  // a change to something many environments render from must say so, or it would wait for each
  // environment's next change. The caller's transaction only queues one keyed job (a burst of
  // changes coalesces into one): bumping every environment of the team there would lock rows that
  // concurrent changes of the team's other environments hold, a deadlock. The job bumps them in
  // its own transaction, after the change committed; a reconcile whose rendering did not change
  // writes nothing.
  async teamChanged(teamId: string): Promise<void> {
    await this.queue.enqueue(TEAM_CHANGED_TASK, { teamId, jobKey: `team-changed:${teamId}` }, { jobKey: `team-changed:${teamId}` });
  }

  async clusterChanged(clusterId: string): Promise<void> {
    // Not `clusterId` in the payload: that would route the job to the cluster's owner, and any
    // replica may do this bookkeeping (the reconciles it queues are routed themselves).
    await this.queue.enqueue(CLUSTER_CHANGED_TASK, { changedClusterId: clusterId, jobKey: `cluster-changed:${clusterId}` }, { jobKey: `cluster-changed:${clusterId}` });
  }

  /**
   * One statement queues the work for all of them: one job reconciling them together (each on its
   * cluster's owner: see WorkloadsService.reconcileMany) per RECONCILE_BATCH environments, so a
   * team's change reaches its environments on every cluster at once rather than a job at a time.
   */
  private async reconcileAll(environmentIds: string[]): Promise<void> {
    if (environmentIds.length === 1) {
      const environmentId = environmentIds[0]!;
      await this.queue.enqueueMany([{ task: RECONCILE_TASK, payload: { environmentId, jobKey: `reconcile:${environmentId}` }, options: { jobKey: `reconcile:${environmentId}` } }]);
      return;
    }
    const jobs = [];
    for (let i = 0; i < environmentIds.length; i += RECONCILE_BATCH) jobs.push({ task: RECONCILE_BATCH_TASK, payload: { environmentIds: environmentIds.slice(i, i + RECONCILE_BATCH) } });
    await this.queue.enqueueMany(jobs);
  }
}

/** Environments per batch reconcile job. */
const RECONCILE_BATCH = 500;
