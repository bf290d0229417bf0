import { Injectable } from '@nestjs/common';
import { DomainError } from '../../common/errors/domain-error.js';
import { WorkQueueService } from '../work-queue/work-queue.service.js';
import { HealthRepository } from './health.repository.js';

@Injectable()
export class HealthService {
  private shuttingDown = false;

  constructor(
    private readonly repository: HealthRepository,
    private readonly workQueue: WorkQueueService,
  ) {}

  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  async ready(): Promise<{ status: 'ready' }> {
    if (this.shuttingDown) throw new DomainError('unavailable', 'shutting down');
    try {
      await this.repository.ping();
    } catch {
      throw new DomainError('unavailable', 'the database does not answer');
    }
    // A replica whose job workers died would accept deploys that nothing carries out.
    const queueFailure = this.workQueue.health();
    if (queueFailure) throw new DomainError('unavailable', `the work queue stopped: ${queueFailure}`);
    return { status: 'ready' };
  }

  /** Readiness fails from now on, so load balancers stop sending new requests. */
  markShuttingDown(): void {
    this.shuttingDown = true;
  }
}
