// Everything the reconciler reads and writes in the database, with the tenant explicit in every
// query that touches tenant data.
import { Injectable } from '@nestjs/common';
import { Prisma } from '../../generated/prisma/client.js';
import { TransactionHost } from '../../database/prisma.service.js';

export interface EnvironmentState {
  id: string;
  teamId: string;
  name: string;
  production: boolean;
  autoRollback: boolean;
  state: 'active' | 'deleting';
  clusterId: string | null;
  clusterSelector: unknown;
  desiredGeneration: number;
  appliedGeneration: number;
  appliedObjects: string[];
  restartedAt: Date | null;
  app: { id: string; name: string; state: 'active' | 'deleting'; team: { id: string; name: string } };
  processTypes: Array<{ type: string; command: string | null; replicas: number; size: string; autoscaleMin: number | null; autoscaleMax: number | null; autoscaleTargetCpu: number | null; port: number | null; healthCheckPath: string | null }>;
  domains: Array<{ hostname: string }>;
}

export interface ReleaseState {
  id: string;
  number: number;
  image: string;
  configCiphertext: string;
  phase: string;
  createdAt: Date;
}

@Injectable()
export class WorkloadsRepository {
  constructor(private readonly tx: TransactionHost) {}

  async loadEnvironment(environmentId: string): Promise<EnvironmentState | null> {
    return this.tx.db.environment.findUnique({
      where: { id: environmentId },
      select: {
        id: true,
        teamId: true,
        name: true,
        production: true,
        autoRollback: true,
        state: true,
        clusterId: true,
        clusterSelector: true,
        desiredGeneration: true,
        appliedGeneration: true,
        appliedObjects: true,
        restartedAt: true,
        app: { select: { id: true, name: true, state: true, team: { select: { id: true, name: true } } } },
        processTypes: { orderBy: { type: 'asc' }, select: { type: true, command: true, replicas: true, size: true, autoscaleMin: true, autoscaleMax: true, autoscaleTargetCpu: true, port: true, healthCheckPath: true } },
        domains: { orderBy: { hostname: 'asc' }, select: { hostname: true } },
      },
    });
  }

  async latestReleases(teamId: string, environmentId: string, count: number): Promise<ReleaseState[]> {
    return this.tx.db.release.findMany({
      where: { teamId, environmentId },
      orderBy: { number: 'desc' },
      take: count,
      select: { id: true, number: true, image: true, configCiphertext: true, phase: true, createdAt: true },
    });
  }

  async lastSucceededRelease(teamId: string, environmentId: string, before: number): Promise<ReleaseState | null> {
    return this.tx.db.release.findFirst({
      where: { teamId, environmentId, phase: 'succeeded', number: { lt: before } },
      orderBy: { number: 'desc' },
      select: { id: true, number: true, image: true, configCiphertext: true, phase: true, createdAt: true },
    });
  }

  /** Bumps the generation Berth wants on the cluster; the reconciler catches up to it. */
  async bumpDesiredGeneration(teamId: string, environmentId: string): Promise<void> {
    await this.tx.db.environment.updateMany({ where: { id: environmentId, teamId }, data: { desiredGeneration: { increment: 1 } } });
  }

  async setCluster(teamId: string, environmentId: string, clusterId: string): Promise<void> {
    await this.tx.db.environment.updateMany({ where: { id: environmentId, teamId, clusterId: null }, data: { clusterId } });
  }

  /** Records a successful apply of `generation`; never moves backwards when two workers race. */
  async markApplied(teamId: string, environmentId: string, generation: number, appliedObjects: string[]): Promise<void> {
    await this.tx.db.$executeRaw`
      UPDATE environments
      SET applied_generation = GREATEST(applied_generation, ${generation}::int), applied_objects = ${appliedObjects}::text[],
          last_applied_at = now(), last_sync_error = NULL
      WHERE id = ${environmentId}::uuid AND team_id = ${teamId}::uuid`;
  }

  async recordSyncError(teamId: string, environmentId: string, message: string): Promise<void> {
    await this.tx.db.environment.updateMany({ where: { id: environmentId, teamId }, data: { lastSyncError: message.slice(0, 1000) } });
  }

  async setReleasePhase(teamId: string, releaseId: string, phase: string, reason: string | null, message: string | null): Promise<boolean> {
    const result = await this.tx.db.release.updateMany({
      where: { id: releaseId, teamId, NOT: { phase, reason } },
      data: { phase, reason, message: message?.slice(0, 1000) ?? null, phaseUpdatedAt: new Date() },
    });
    if (result.count > 0) await this.tx.db.$executeRaw`SELECT pg_notify('berth_release_status', json_build_object('team_id', team_id, 'environment_id', environment_id, 'release_id', id, 'number', number)::text) FROM releases WHERE id = ${releaseId}::uuid`;
    return result.count > 0;
  }

  async setObservedStatus(teamId: string, environmentId: string, status: Prisma.InputJsonValue): Promise<void> {
    await this.tx.db.environment.updateMany({ where: { id: environmentId, teamId }, data: { observedStatus: status } });
    await this.tx.db.$executeRaw`SELECT pg_notify('berth_environment_status', json_build_object('team_id', ${teamId}::text, 'environment_id', ${environmentId}::text)::text)`;
  }

  async recordDrift(teamId: string, environmentId: string, objectKey: string, kind: string): Promise<void> {
    await this.tx.db.driftEvent.create({ data: { teamId, environmentId, objectKey, kind } });
  }

  async activeEnvironmentIds(): Promise<string[]> {
    return (await this.tx.db.environment.findMany({ select: { id: true } })).map((e) => e.id);
  }

  /** Once the cluster confirms the namespace is gone, the record goes (and the app with its last environment). */
  async deleteEnvironmentRecord(teamId: string, environmentId: string): Promise<void> {
    const env = await this.tx.db.environment.findFirst({ where: { id: environmentId, teamId }, select: { appId: true, app: { select: { state: true } } } });
    if (!env) return;
    await this.tx.db.environment.deleteMany({ where: { id: environmentId, teamId } });
    if (env.app.state === 'deleting' && (await this.tx.db.environment.count({ where: { appId: env.appId, teamId } })) === 0) {
      await this.tx.db.app.deleteMany({ where: { id: env.appId, teamId } });
    }
  }

  async clusterOf(clusterId: string) {
    return this.tx.db.cluster.findUnique({ where: { id: clusterId } });
  }

  async teamQuota(teamId: string) {
    return this.tx.db.teamQuota.findUnique({ where: { teamId } });
  }
}
