import { Injectable } from '@nestjs/common';
import { DomainError } from '../../common/errors/domain-error.js';
import { HealthRepository } from './health.repository.js';

@Injectable()
export class HealthService {
  private shuttingDown = false;

  constructor(private readonly repository: HealthRepository) {}

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
    return { status: 'ready' };
  }

  /** Readiness fails from now on, so load balancers stop sending new requests. */
  markShuttingDown(): void {
    this.shuttingDown = true;
  }
}
