import { Injectable } from '@nestjs/common';
import { TransactionHost } from '../../database/prisma.service.js';

/** The one write EnvironmentEvents makes itself: the generation the reconciler must catch up to. */
@Injectable()
export class EnvironmentEventsRepository {
  constructor(private readonly tx: TransactionHost) {}

  async bumpDesiredGeneration(teamId: string, environmentId: string): Promise<void> {
    await this.tx.db.environment.updateMany({ where: { id: environmentId, teamId }, data: { desiredGeneration: { increment: 1 } } });
  }
}
