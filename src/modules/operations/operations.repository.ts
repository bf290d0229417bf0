import { Injectable } from '@nestjs/common';
import { TransactionHost } from '../../database/prisma.service.js';

@Injectable()
export class OperationsRepository {
  constructor(private readonly tx: TransactionHost) {}

  async markRestarted(teamId: string, environmentId: string, at: Date): Promise<void> {
    await this.tx.db.environment.updateMany({ where: { id: environmentId, teamId }, data: { restartedAt: at } });
  }

  async placement(teamId: string, environmentId: string): Promise<{ clusterId: string | null } | null> {
    return this.tx.db.environment.findFirst({ where: { id: environmentId, teamId }, select: { clusterId: true } });
  }

  async driftEvents(teamId: string, environmentId: string, limit: number) {
    return this.tx.db.driftEvent.findMany({ where: { teamId, environmentId }, orderBy: { detectedAt: 'desc' }, take: limit, select: { objectKey: true, kind: true, detectedAt: true } });
  }
}
