// The clusters module's EnvironmentMover port, bound by the workloads side (EnvironmentEventsModule):
// the environment is applied on its new cluster and its namespace removed from the old one. Both
// jobs are queued in the drain's transaction.
import { Injectable } from '@nestjs/common';
import { EnvironmentEvents } from '../../common/events/environment-events.js';
import { TransactionHost } from '../../database/prisma.service.js';
import { EnvironmentMover, type MovedEnvironment } from '../clusters/environment-mover.port.js';
import { WorkQueueService } from '../work-queue/work-queue.service.js';
import { CLEANUP_TASK } from './reconciler.service.js';

@Injectable()
export class WorkloadsEnvironmentMover extends EnvironmentMover {
  constructor(
    private readonly events: EnvironmentEvents,
    private readonly queue: WorkQueueService,
    private readonly tx: TransactionHost,
  ) {
    super();
  }

  async moved(environment: MovedEnvironment, fromClusterId: string): Promise<void> {
    const { id, teamId, namespace } = environment;
    await this.tx.run(async () => {
      await this.events.changed(teamId, id);
      await this.queue.enqueue(CLEANUP_TASK, { clusterId: fromClusterId, namespace, jobKey: `cleanup:${fromClusterId}:${namespace}` }, { jobKey: `cleanup:${fromClusterId}:${namespace}` });
    });
  }
}
