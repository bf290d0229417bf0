import { Injectable } from '@nestjs/common';
import { Prisma } from '../../generated/prisma/client.js';
import { TransactionHost } from '../../database/prisma.service.js';
import type { QuotaRecord } from './models/quota.model.js';
import type { UsageDelta } from './quota-dimensions.js';

@Injectable()
export class QuotasRepository {
  constructor(private readonly tx: TransactionHost) {}

  async find(teamId: string): Promise<QuotaRecord | null> {
    return this.tx.db.teamQuota.findUnique({ where: { teamId } });
  }

  /**
   * Raises (or lowers) usage only if every raised dimension stays within its limit, in one
   * statement: the row lock makes concurrent reservations queue, so usage never passes the limit.
   * Lowering always succeeds, so a quota set below usage stops growth without breaking anything.
   */
  async tryApply(teamId: string, d: Required<UsageDelta>): Promise<QuotaRecord | null> {
    const rows = await this.tx.db.$queryRaw<QuotaRecord[]>(Prisma.sql`
      UPDATE team_quotas SET
        used_apps = used_apps + ${d.apps},
        used_environments = used_environments + ${d.environments},
        used_cpu_millis = used_cpu_millis + ${d.cpuMillis},
        used_memory_mib = used_memory_mib + ${d.memoryMib},
        updated_at = now()
      WHERE team_id = ${teamId}::uuid
        AND (${d.apps} <= 0 OR used_apps + ${d.apps} <= max_apps)
        AND (${d.environments} <= 0 OR used_environments + ${d.environments} <= max_environments)
        AND (${d.cpuMillis} <= 0 OR used_cpu_millis + ${d.cpuMillis} <= max_cpu_millis)
        AND (${d.memoryMib} <= 0 OR used_memory_mib + ${d.memoryMib} <= max_memory_mib)
      RETURNING team_id AS "teamId"`);
    return rows.length ? this.find(teamId) : null;
  }

  /** Updates only from `expectedVersion` when given; null when the quota moved on. */
  async updateLimits(teamId: string, expectedVersion: number | undefined, data: Partial<Pick<QuotaRecord, 'maxApps' | 'maxEnvironments' | 'maxCpuMillis' | 'maxMemoryMib' | 'maxReplicasPerProcess' | 'maxReleasesRetained'>>): Promise<QuotaRecord | null> {
    const result = await this.tx.db.teamQuota.updateMany({ where: { teamId, ...(expectedVersion !== undefined ? { version: expectedVersion } : {}) }, data: { ...data, version: { increment: 1 } } });
    return result.count ? this.find(teamId) : null;
  }

  async setUsage(teamId: string, usage: Pick<QuotaRecord, 'usedApps' | 'usedEnvironments' | 'usedCpuMillis' | 'usedMemoryMib'>): Promise<QuotaRecord> {
    return this.tx.db.teamQuota.update({ where: { teamId }, data: usage });
  }

  /** Usage counted from the records themselves, to check (or repair) the stored counters. */
  async countUsage(teamId: string): Promise<{ apps: number; environments: number; processes: Array<{ replicas: number; size: string; autoscaleMax: number | null }> }> {
    const [apps, environments, processes] = await Promise.all([
      this.tx.db.app.count({ where: { teamId } }),
      this.tx.db.environment.count({ where: { teamId } }),
      this.tx.db.processType.findMany({ where: { teamId }, select: { replicas: true, size: true, autoscaleMax: true } }),
    ]);
    return { apps, environments, processes };
  }
}
