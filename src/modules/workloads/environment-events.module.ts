import { Module } from '@nestjs/common';
import { EnvironmentEvents } from '../../common/events/environment-events.js';
import { EnvironmentMover } from '../clusters/environment-mover.port.js';
import { WorkQueueModule } from '../work-queue/work-queue.module.js';
import { EnvironmentEventsRepository } from './environment-events.repository.js';
import { WorkloadsEnvironmentMover } from './environment-mover.adapter.js';
import { QueuedEnvironmentEvents } from './queued-environment-events.js';

/**
 * The ports through which features and drains tell the workloads side that an environment changed
 * or moved. Low in the module graph (it needs only the work queue): the features import it, and
 * WorkloadsModule, which imports the features, stays on top without a cycle.
 */
@Module({
  imports: [WorkQueueModule],
  providers: [EnvironmentEventsRepository, { provide: EnvironmentEvents, useClass: QueuedEnvironmentEvents }, { provide: EnvironmentMover, useClass: WorkloadsEnvironmentMover }],
  exports: [EnvironmentEvents, EnvironmentMover],
})
export class EnvironmentEventsModule {}
