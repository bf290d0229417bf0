// EnvironmentEvents as the workloads side implements it: bump the environment's desired generation
// and enqueue its reconcile, both in the caller's transaction, so the work exists exactly when the
// change does. It needs only the work queue, so feature modules can depend on it without depending
// on the reconciler (which depends on them).
import { Injectable } from '@nestjs/common';
import { EnvironmentEvents } from '../../common/events/environment-events.js';
import { TransactionHost } from '../../database/prisma.service.js';
import { WorkQueueService } from '../work-queue/work-queue.service.js';
import { EnvironmentEventsRepository } from './environment-events.repository.js';
import { RECONCILE_TASK } from './reconciler.service.js';

@Injectable()
export class QueuedEnvironmentEvents extends EnvironmentEvents {
  constructor(
    private readonly repository: EnvironmentEventsRepository,
    private readonly queue: WorkQueueService,
    private readonly tx: TransactionHost,
  ) {
    super();
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
  // environment's next change. A reconcile whose rendering did not change writes nothing.
  async teamChanged(teamId: string): Promise<void> {
    await this.tx.run(async () => this.enqueue(await this.repository.bumpTeam(teamId)));
  }

  async clusterChanged(clusterId: string): Promise<void> {
    await this.tx.run(async () => this.enqueue(await this.repository.bumpCluster(clusterId)));
  }

  private async enqueue(environmentIds: string[]): Promise<void> {
    if (environmentIds.length === 0) return;
    await this.queue.enqueueMany(environmentIds.map((environmentId) => ({ task: RECONCILE_TASK, payload: { environmentId, jobKey: `reconcile:${environmentId}` }, options: { jobKey: `reconcile:${environmentId}` } })));
  }
}
