import { Injectable } from '@nestjs/common';
import { TransactionHost } from '../../database/prisma.service.js';

/** The one write EnvironmentEvents makes itself: the generation the reconciler must catch up to. */
@Injectable()
export class EnvironmentEventsRepository {
  constructor(private readonly tx: TransactionHost) {}

  async bumpDesiredGeneration(teamId: string, environmentId: string): Promise<void> {
    await this.tx.db.environment.updateMany({ where: { id: environmentId, teamId }, data: { desiredGeneration: { increment: 1 } } });
  }

  /** Every placed, live environment of the team, bumped; answers their ids. */
  async bumpTeam(teamId: string): Promise<string[]> {
    const rows = await this.tx.db.environment.updateManyAndReturn({ where: { teamId, clusterId: { not: null }, state: { not: 'deleting' } }, data: { desiredGeneration: { increment: 1 } }, select: { id: true } });
    return rows.map((r) => r.id);
  }

  /** Every live environment placed on the cluster, bumped; answers their ids. */
  async bumpCluster(clusterId: string): Promise<string[]> {
    const rows = await this.tx.db.environment.updateManyAndReturn({ where: { clusterId, state: { not: 'deleting' } }, data: { desiredGeneration: { increment: 1 } }, select: { id: true } });
    return rows.map((r) => r.id);
  }
}
