import { Injectable } from '@nestjs/common';
import { TransactionHost } from '../../database/prisma.service.js';
import type { ProcessTypeRecord } from './models/process-type.model.js';

export interface ProcessTypeChanges {
  command?: string | null;
  replicas?: number;
  size?: string;
  autoscaleMin?: number | null;
  autoscaleMax?: number | null;
  autoscaleTargetCpu?: number | null;
  port?: number | null;
  healthCheckPath?: string | null;
}

export type NewProcessType = Required<ProcessTypeChanges>;

@Injectable()
export class FormationRepository {
  constructor(private readonly tx: TransactionHost) {}

  async list(teamId: string, environmentId: string): Promise<ProcessTypeRecord[]> {
    return this.tx.db.processType.findMany({ where: { teamId, environmentId }, orderBy: { type: 'asc' } });
  }

  async create(teamId: string, environmentId: string, type: string, data: NewProcessType): Promise<void> {
    await this.tx.db.processType.create({ data: { teamId, environmentId, type, ...data } });
  }

  async update(teamId: string, id: string, data: ProcessTypeChanges): Promise<void> {
    await this.tx.db.processType.update({ where: { id, teamId }, data: { ...data, version: { increment: 1 } } });
  }

  /** Creates the process type unless one of that type exists (never fails on a concurrent insert). */
  async createIfMissing(teamId: string, environmentId: string, type: string, data: NewProcessType): Promise<void> {
    await this.tx.db.processType.createMany({ data: [{ teamId, environmentId, type, ...data }], skipDuplicates: true });
  }

  async delete(teamId: string, environmentId: string, type: string): Promise<boolean> {
    const { count } = await this.tx.db.processType.deleteMany({ where: { teamId, environmentId, type } });
    return count > 0;
  }
}
