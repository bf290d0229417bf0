import { Injectable } from '@nestjs/common';
import { keyset, type PageRequest } from '../../common/pagination/pagination.js';
import { uniquely } from '../../database/prisma-errors.js';
import { TransactionHost } from '../../database/prisma.service.js';
import type { DomainRecord } from './models/domain.model.js';

@Injectable()
export class DomainsRepository {
  constructor(private readonly tx: TransactionHost) {}

  async list(teamId: string, environmentId: string, page: PageRequest<string>): Promise<DomainRecord[]> {
    const k = keyset(page);
    return this.tx.db.domain.findMany({
      where: { teamId, environmentId, ...(k.range ? { id: k.range } : {}) },
      orderBy: { id: k.order },
      take: k.take,
    });
  }

  /** Every domain of these environments (at most 50 each), id order, for the environment → domains link. */
  async listByEnvironments(keys: ReadonlyArray<{ teamId: string; environmentId: string }>): Promise<DomainRecord[]> {
    if (!keys.length) return [];
    return this.tx.db.domain.findMany({
      where: { teamId: { in: [...new Set(keys.map((k) => k.teamId))] }, environmentId: { in: keys.map((k) => k.environmentId) } },
      orderBy: { id: 'asc' },
    });
  }

  /** Where a domain sits, by its id alone (node(id:) then authorises through the service). */
  async locate(id: string): Promise<{ appId: string; environmentId: string; hostname: string } | null> {
    const domain = await this.tx.db.domain.findUnique({ where: { id }, select: { hostname: true, environmentId: true, environment: { select: { appId: true } } } });
    return domain ? { appId: domain.environment.appId, environmentId: domain.environmentId, hostname: domain.hostname } : null;
  }

  async find(teamId: string, environmentId: string, hostname: string): Promise<DomainRecord | null> {
    return this.tx.db.domain.findFirst({ where: { teamId, environmentId, hostname } });
  }

  async count(teamId: string, environmentId: string): Promise<number> {
    return this.tx.db.domain.count({ where: { teamId, environmentId } });
  }

  /** Hostnames are unique in the whole installation: one hostname routes to one environment. */
  async create(data: { teamId: string; environmentId: string; hostname: string }): Promise<DomainRecord> {
    return uniquely(() => this.tx.db.domain.create({ data }), 'domain', 'hostname', data.hostname);
  }

  /** The deleted domain's id, or null when there was none. */
  async delete(teamId: string, environmentId: string, hostname: string): Promise<string | null> {
    const domain = await this.find(teamId, environmentId, hostname);
    if (!domain) return null;
    const { count } = await this.tx.db.domain.deleteMany({ where: { id: domain.id } });
    return count > 0 ? domain.id : null;
  }
}
