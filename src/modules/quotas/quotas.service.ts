import { Injectable } from '@nestjs/common';
import { assertPlatformAdmin, type Actor } from '../../common/auth/actor.js';
import { DomainError } from '../../common/errors/domain-error.js';
import { AuditNotes } from '../../common/audit/audit-notes.js';
import { EnvironmentEvents } from '../../common/events/environment-events.js';
import { TransactionHost } from '../../database/prisma.service.js';
import { TeamsService } from '../teams/teams.service.js';
import type { UpdateQuotaInput } from './dto/update-quota.input.js';
import { toQuotaModel, type QuotaModel, type QuotaRecord } from './models/quota.model.js';
import { formationUsage, type UsageDelta } from './quota-dimensions.js';
import { QuotasRepository } from './quotas.repository.js';

const DIMENSIONS = [
  { key: 'apps', used: 'usedApps', max: 'maxApps', delta: 'apps' },
  { key: 'environments', used: 'usedEnvironments', max: 'maxEnvironments', delta: 'environments' },
  { key: 'cpu_millis', used: 'usedCpuMillis', max: 'maxCpuMillis', delta: 'cpuMillis' },
  { key: 'memory_mib', used: 'usedMemoryMib', max: 'maxMemoryMib', delta: 'memoryMib' },
] as const;

@Injectable()
export class QuotasService {
  constructor(
    private readonly quotas: QuotasRepository,
    private readonly teams: TeamsService,
    private readonly tx: TransactionHost,
    private readonly notes: AuditNotes,
    private readonly events: EnvironmentEvents,
  ) {}

  async get(actor: Actor, teamRef: string): Promise<QuotaModel> {
    const team = await this.teams.resolve(actor, teamRef, 'viewer');
    return toQuotaModel(await this.load(team.id));
  }

  async update(actor: Actor, teamRef: string, input: UpdateQuotaInput, expectedVersion: number | undefined): Promise<QuotaModel> {
    const team = await this.teams.resolve(actor, teamRef, 'viewer');
    assertPlatformAdmin(actor);
    return this.tx.run(async () => {
      const before = await this.load(team.id);
      const updated = await this.quotas.updateLimits(team.id, expectedVersion, {
        maxApps: input.apps,
        maxEnvironments: input.environments,
        maxCpuMillis: input.cpu_millis,
        maxMemoryMib: input.memory_mib,
        maxReplicasPerProcess: input.replicas_per_process,
        maxReleasesRetained: input.releases_retained,
      });
      if (!updated) throw new DomainError('precondition-failed', `the quota changed since version ${expectedVersion}; it is at version ${before.version} now`, { field: 'If-Match' });
      this.notes.change({ before: { ...toQuotaModel(before).limits }, after: { ...toQuotaModel(updated).limits } });
      // Each namespace's ResourceQuota is rendered from the team's limits.
      await this.events.teamChanged(team.id);
      return toQuotaModel(updated);
    });
  }

  /** Recounts usage from the records and stores it; answers what changed. */
  async recompute(actor: Actor, teamRef: string): Promise<QuotaModel> {
    const team = await this.teams.resolve(actor, teamRef, 'viewer');
    assertPlatformAdmin(actor);
    return this.tx.run(async () => {
      const counted = await this.countedUsage(team.id);
      return toQuotaModel(await this.quotas.setUsage(team.id, counted));
    });
  }

  async countedUsage(teamId: string): Promise<Pick<QuotaRecord, 'usedApps' | 'usedEnvironments' | 'usedCpuMillis' | 'usedMemoryMib'>> {
    const counted = await this.quotas.countUsage(teamId);
    const resources = formationUsage(counted.processes);
    return { usedApps: counted.apps, usedEnvironments: counted.environments, usedCpuMillis: resources.cpuMillis, usedMemoryMib: resources.memoryMib };
  }

  /**
   * Changes a team's usage inside the caller's transaction, refusing growth past any limit with a
   * quota-exceeded problem naming the dimension. Call it in the same transaction as the change.
   */
  async apply(teamId: string, delta: UsageDelta): Promise<void> {
    const d = { apps: delta.apps ?? 0, environments: delta.environments ?? 0, cpuMillis: delta.cpuMillis ?? 0, memoryMib: delta.memoryMib ?? 0 };
    if (!d.apps && !d.environments && !d.cpuMillis && !d.memoryMib) return;
    if (await this.quotas.tryApply(teamId, d)) {
      // Each namespace's ResourceQuota leaves room for what the team's other environments use.
      if (d.cpuMillis || d.memoryMib) await this.events.teamChanged(teamId);
      return;
    }
    const quota = await this.load(teamId);
    const over = DIMENSIONS.find((dim) => d[dim.delta] > 0 && quota[dim.used] + d[dim.delta] > quota[dim.max]);
    const name = over?.key ?? 'unknown';
    throw new DomainError('quota-exceeded', `the team's ${name} quota is ${over ? quota[over.max] : '?'}; ${over ? quota[over.used] : '?'} is in use and this needs ${over ? d[over.delta] : '?'} more`, {
      field: name,
      extensions: { dimension: name, limit: over ? quota[over.max] : null, usage: over ? quota[over.used] : null, requested: over ? d[over.delta] : null },
    });
  }

  async assertReplicasAllowed(teamId: string, replicas: number, field: string): Promise<void> {
    const quota = await this.load(teamId);
    if (replicas > quota.maxReplicasPerProcess) {
      throw new DomainError('quota-exceeded', `the team's replicas_per_process quota is ${quota.maxReplicasPerProcess}; ${field} asks for ${replicas}`, {
        field,
        extensions: { dimension: 'replicas_per_process', limit: quota.maxReplicasPerProcess, requested: replicas },
      });
    }
  }

  async releasesRetained(teamId: string): Promise<number> {
    return (await this.load(teamId)).maxReleasesRetained;
  }

  private async load(teamId: string): Promise<QuotaRecord> {
    const quota = await this.quotas.find(teamId);
    if (!quota) throw new Error(`team ${teamId} has no quota row`);
    return quota;
  }
}
