import { Injectable } from '@nestjs/common';
import { Prisma } from '../../generated/prisma/client.js';
import { uniquely } from '../../database/prisma-errors.js';
import { whereRef } from '../../common/validation/refs.js';
import { TransactionHost } from '../../database/prisma.service.js';
import { keyset, type PageRequest } from '../../common/pagination/pagination.js';

export interface ClusterRecord {
  id: string;
  name: string;
  apiUrl: string;
  credentialsCiphertext: string;
  labels: Prisma.JsonValue;
  sandbox: boolean;
  cordoned: boolean;
  ingressClassName: string | null;
  reachable: boolean;
  serverVersion: string | null;
  lastError: string | null;
  lastProbedAt: Date | null;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface NewCluster {
  name: string;
  apiUrl: string;
  credentialsCiphertext: string;
  labels: Record<string, string>;
  sandbox: boolean;
  ingressClassName: string | null;
}

@Injectable()
export class ClustersRepository {
  constructor(private readonly tx: TransactionHost) {}

  async create(data: NewCluster): Promise<ClusterRecord> {
    return uniquely(() => this.tx.db.cluster.create({ data }), 'cluster', 'name', data.name);
  }

  async findByRef(ref: string): Promise<ClusterRecord | null> {
    return this.tx.db.cluster.findFirst({ where: whereRef(ref, []) });
  }

  async findById(id: string): Promise<ClusterRecord | null> {
    return this.tx.db.cluster.findUnique({ where: { id } });
  }

  async list(page: PageRequest<string>): Promise<ClusterRecord[]> {
    const k = keyset(page);
    return this.tx.db.cluster.findMany({ where: k.range ? { id: k.range } : {}, orderBy: { id: k.order }, take: k.take });
  }

  async findManyByIds(ids: string[]): Promise<ClusterRecord[]> {
    return this.tx.db.cluster.findMany({ where: { id: { in: ids } } });
  }

  async all(): Promise<ClusterRecord[]> {
    return this.tx.db.cluster.findMany({ orderBy: { id: 'asc' } });
  }

  async count(): Promise<number> {
    return this.tx.db.cluster.count();
  }

  async update(id: string, data: Partial<Pick<ClusterRecord, 'cordoned' | 'ingressClassName'>> & { labels?: Record<string, string> }, expectedVersion?: number): Promise<ClusterRecord | null> {
    const result = await this.tx.db.cluster.updateMany({ where: { id, ...(expectedVersion !== undefined ? { version: expectedVersion } : {}) }, data: { ...data, version: { increment: 1 } } });
    return result.count ? this.findById(id) : null;
  }

  /** New address and credentials; the version bump makes KubeClients rebuild the client. */
  async replaceConnection(id: string, apiUrl: string, credentialsCiphertext: string): Promise<void> {
    await this.tx.db.cluster.update({ where: { id }, data: { apiUrl, credentialsCiphertext, version: { increment: 1 } } });
  }

  async recordProbe(id: string, probe: { reachable: boolean; serverVersion: string | null; lastError: string | null }): Promise<void> {
    await this.tx.db.cluster.update({ where: { id }, data: { ...probe, lastProbedAt: new Date() } });
  }

  async delete(id: string): Promise<void> {
    await this.tx.db.cluster.delete({ where: { id } });
  }

  async environmentCounts(): Promise<Map<string, number>> {
    const rows = await this.tx.db.environment.groupBy({ by: ['clusterId'], _count: { _all: true }, where: { clusterId: { not: null } } });
    return new Map(rows.map((r) => [r.clusterId!, r._count._all]));
  }

  async environmentsOn(clusterId: string): Promise<Array<{ id: string; teamId: string; clusterSelector: unknown; namespace: string }>> {
    const rows = await this.tx.db.environment.findMany({ where: { clusterId, state: 'active' }, select: { id: true, teamId: true, clusterSelector: true, name: true, app: { select: { name: true } } } });
    return rows.map((r) => ({ id: r.id, teamId: r.teamId, clusterSelector: r.clusterSelector, namespace: `${r.app.name}-${r.name}` }));
  }

  /** Nothing is applied on the new cluster yet; the generation bump tells the reconciler to apply it. */
  async moveEnvironment(teamId: string, environmentId: string, clusterId: string): Promise<void> {
    await this.tx.db.environment.updateMany({ where: { id: environmentId, teamId }, data: { clusterId, appliedObjects: [], appliedGeneration: 0, desiredGeneration: { increment: 1 } } });
  }
}
