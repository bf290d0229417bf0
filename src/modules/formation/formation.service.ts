import { Injectable } from '@nestjs/common';
import type { Actor } from '../../common/auth/actor.js';
import { AuditNotes } from '../../common/audit/audit-notes.js';
import { DomainError } from '../../common/errors/domain-error.js';
import { TransactionHost } from '../../database/prisma.service.js';
import { EnvironmentsService } from '../environments/environments.service.js';
import type { EnvironmentRecord } from '../environments/models/environment.model.js';
import { formationUsage } from '../quotas/quota-dimensions.js';
import { QuotasService } from '../quotas/quotas.service.js';
import { DEFAULT_SIZE } from '../sizes/sizes.catalogue.js';
import { MAX_PROCESS_TYPES, type ProcessTypeInput, type UpdateFormationInput } from './dto/formation.input.js';
import { FormationRepository, type NewProcessType, type ProcessTypeChanges } from './formation.repository.js';
import { toProcessTypeModel, toProcessTypeSnapshot, type FormationModel, type ProcessTypeRecord, type ProcessTypeSnapshot } from './models/process-type.model.js';
import { EnvironmentEvents } from '../../common/events/environment-events.js';

export const WEB = 'web';
export const DEFAULT_WEB_PORT = 8080;

/** What the first deploy creates when an environment has no process types. */
export const DEFAULT_WEB_PROCESS: NewProcessType = {
  command: null,
  replicas: 1,
  size: DEFAULT_SIZE,
  autoscaleMin: null,
  autoscaleMax: null,
  autoscaleTargetCpu: null,
  port: DEFAULT_WEB_PORT,
  healthCheckPath: null,
};

@Injectable()
export class FormationService {
  constructor(
    private readonly formation: FormationRepository,
    private readonly environments: EnvironmentsService,
    private readonly quotas: QuotasService,
    private readonly tx: TransactionHost,
    private readonly events: EnvironmentEvents,
    private readonly notes: AuditNotes,
  ) {}

  async get(actor: Actor, appRef: string, envRef: string): Promise<FormationModel> {
    const env = await this.environments.resolve(actor, appRef, envRef, 'viewer');
    return this.current(env);
  }

  /** The formation is versioned with its environment: `expectedVersion` is the environment's version. */
  async update(actor: Actor, appRef: string, envRef: string, input: UpdateFormationInput, expectedVersion?: number): Promise<FormationModel> {
    const env = await this.environments.resolve(actor, appRef, envRef, 'developer');
    input.process_types.forEach((p, i) => checkProcessType(p, i, input.process_types));
    return this.tx.run(async () => {
      this.environments.checkVersion(await this.environments.lockForWrite(env), expectedVersion);
      const existing = new Map((await this.formation.list(env.teamId, env.id)).map((p) => [p.type, p]));
      const added = input.process_types.filter((p) => !existing.has(p.type)).length;
      if (existing.size + added > MAX_PROCESS_TYPES) {
        throw DomainError.invalid('process_types', `an environment has at most ${MAX_PROCESS_TYPES} process types; it has ${existing.size}`);
      }
      for (const [i, p] of input.process_types.entries()) {
        if (p.replicas !== undefined) await this.quotas.assertReplicasAllowed(env.teamId, p.replicas, `process_types.${i}.replicas`);
        if (p.autoscaling) await this.quotas.assertReplicasAllowed(env.teamId, p.autoscaling.max, `process_types.${i}.autoscaling.max`);
        const current = existing.get(p.type);
        if (current) await this.formation.update(env.teamId, current.id, changesFrom(p));
        else await this.formation.create(env.teamId, env.id, p.type, { ...defaultsFor(p.type), ...changesFrom(p) });
      }
      const after = await this.formation.list(env.teamId, env.id);
      await this.chargeQuota(env, [...existing.values()], after);
      const changed = new Set(input.process_types.map((p) => p.type));
      this.notes.change({
        before: Object.fromEntries([...existing.values()].filter((p) => changed.has(p.type)).map((p) => [p.type, toProcessTypeSnapshot(p)])),
        after: Object.fromEntries(after.filter((p) => changed.has(p.type)).map((p) => [p.type, toProcessTypeSnapshot(p)])),
      });
      // Scaling creates no release, but the cluster must follow it.
      await this.events.changed(env.teamId, env.id);
      return { process_types: after.map(toProcessTypeModel), version: await this.environments.touch(env) };
    });
  }

  /** Answers the removed process type's id (GraphQL's payload names it). */
  async delete(actor: Actor, appRef: string, envRef: string, type: string): Promise<string> {
    const env = await this.environments.resolve(actor, appRef, envRef, 'developer');
    return this.tx.run(async () => {
      const before = await this.formation.list(env.teamId, env.id);
      if (!(await this.formation.delete(env.teamId, env.id, type))) throw DomainError.notFound('process type', type);
      await this.chargeQuota(env, before, await this.formation.list(env.teamId, env.id));
      const removed = before.find((p) => p.type === type);
      this.notes.change({ before: removed ? { [type]: toProcessTypeSnapshot(removed) } : null, after: null });
      await this.environments.touch(env);
      await this.events.changed(env.teamId, env.id);
      // Deleted above, so it was in the list read before; the check only tells the compiler so.
      if (!removed) throw DomainError.notFound('process type', type);
      return removed.id;
    });
  }

  /** The formation a release pins. Call inside the release's transaction. */
  async snapshot(env: EnvironmentRecord): Promise<ProcessTypeSnapshot[]> {
    return (await this.formation.list(env.teamId, env.id)).map(toProcessTypeSnapshot);
  }

  /** Gives an environment without process types the default `web` one (first deploy). */
  async ensureDefault(env: EnvironmentRecord): Promise<void> {
    if ((await this.formation.list(env.teamId, env.id)).length === 0) {
      await this.formation.createIfMissing(env.teamId, env.id, WEB, DEFAULT_WEB_PROCESS);
      await this.chargeQuota(env, [], await this.formation.list(env.teamId, env.id));
    }
  }

  /** Moves the team's CPU and memory usage by the difference between two formations. */
  private async chargeQuota(env: EnvironmentRecord, before: ProcessTypeRecord[], after: ProcessTypeRecord[]): Promise<void> {
    const was = formationUsage(before);
    const now = formationUsage(after);
    await this.quotas.apply(env.teamId, { cpuMillis: now.cpuMillis - was.cpuMillis, memoryMib: now.memoryMib - was.memoryMib });
  }

  private async current(env: EnvironmentRecord): Promise<FormationModel> {
    return { process_types: (await this.formation.list(env.teamId, env.id)).map(toProcessTypeModel), version: env.version };
  }
}

/** Rules across fields, which the input classes cannot state. */
function checkProcessType(p: ProcessTypeInput, i: number, all: ProcessTypeInput[]): void {
  const at = `process_types.${i}`;
  if (all.findIndex((q) => q.type === p.type) !== i) throw DomainError.invalid(`${at}.type`, `"${p.type}" appears more than once in this request`);
  if (p.type !== WEB) {
    if (p.port !== undefined && p.port !== null) throw DomainError.invalid(`${at}.port`, `only the ${WEB} process type receives traffic`);
    if (p.health_check_path !== undefined && p.health_check_path !== null) {
      throw DomainError.invalid(`${at}.health_check_path`, `only the ${WEB} process type has an HTTP health check`);
    }
  }
  if (p.autoscaling && p.autoscaling.min > p.autoscaling.max) {
    throw DomainError.invalid(`${at}.autoscaling.min`, `must not be above max (${p.autoscaling.max})`);
  }
}

function defaultsFor(type: string): NewProcessType {
  return { ...DEFAULT_WEB_PROCESS, port: type === WEB ? DEFAULT_WEB_PORT : null };
}

/** Only the fields the request names change; null clears an optional setting. */
function changesFrom(p: ProcessTypeInput): ProcessTypeChanges {
  const changes: ProcessTypeChanges = {};
  if (p.command !== undefined) changes.command = p.command;
  if (p.replicas !== undefined && p.replicas !== null) changes.replicas = p.replicas;
  if (p.size !== undefined && p.size !== null) changes.size = p.size;
  if (p.autoscaling !== undefined) {
    changes.autoscaleMin = p.autoscaling?.min ?? null;
    changes.autoscaleMax = p.autoscaling?.max ?? null;
    changes.autoscaleTargetCpu = p.autoscaling?.target_cpu ?? null;
  }
  if (p.port !== undefined) changes.port = p.port ?? (p.type === WEB ? DEFAULT_WEB_PORT : null);
  if (p.health_check_path !== undefined) changes.healthCheckPath = p.health_check_path;
  return changes;
}
