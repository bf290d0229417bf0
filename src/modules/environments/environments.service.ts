import { Injectable } from '@nestjs/common';
import type { Actor, TeamRole } from '../../common/auth/actor.js';
import { EncryptionService } from '../../common/crypto/encryption.service.js';
import { AuditNotes } from '../../common/audit/audit-notes.js';
import { DomainError } from '../../common/errors/domain-error.js';
import { pageRequest, toPage, withCount, type Page, type PageQuery } from '../../common/pagination/pagination.js';
import { NAMESPACE_MAX, namespaceName } from '../../common/validation/names.js';
import { TransactionHost } from '../../database/prisma.service.js';
import { AppsService } from '../apps/apps.service.js';
import { QuotasService } from '../quotas/quotas.service.js';
import type { CreateEnvironmentInput, UpdateEnvironmentInput } from './dto/environment.input.js';
import { EnvironmentsRepository, type RolloutSettings } from './environments.repository.js';
import { toEnvironmentModel, type EnvironmentModel, type EnvironmentRecord } from './models/environment.model.js';
import { EnvironmentEvents } from '../../common/events/environment-events.js';
import { labelsOf, PlacementService } from '../clusters/placement.service.js';
import { profileOf, profileRefusal } from '../workloads/render/security.js';

export type ConfigMap = Record<string, string>;

/** The environment name must leave room for `<app>-` inside a 63-character namespace. */
export function namespaceProblem(appName: string, envName: string): string | undefined {
  const namespace = namespaceName(appName, envName);
  if (namespace.length > NAMESPACE_MAX) {
    return `makes the namespace "${namespace}" ${namespace.length} characters long; at most ${NAMESPACE_MAX - appName.length - 1} characters fit after app "${appName}"`;
  }
  return undefined;
}

function rolloutSettings(input: CreateEnvironmentInput | UpdateEnvironmentInput): RolloutSettings {
  return { securityProfile: input.security_profile, failureRestartThreshold: input.failure_restart_threshold, progressDeadlineSeconds: input.progress_deadline_seconds };
}

function refuseProfile(profile: string | undefined, cluster: { name: string; labels: unknown }): void {
  const refusal = profile ? profileRefusal(profileOf(profile), cluster.name, labelsOf(cluster.labels)) : null;
  if (refusal) throw DomainError.invalid('security_profile', refusal);
}

function rolloutView(env: EnvironmentRecord) {
  return { security_profile: env.securityProfile, failure_restart_threshold: env.failureRestartThreshold, progress_deadline_seconds: env.progressDeadlineSeconds };
}

@Injectable()
export class EnvironmentsService {
  constructor(
    private readonly environments: EnvironmentsRepository,
    private readonly apps: AppsService,
    private readonly quotas: QuotasService,
    private readonly encryption: EncryptionService,
    private readonly tx: TransactionHost,
    private readonly events: EnvironmentEvents,
    private readonly placement: PlacementService,
    private readonly notes: AuditNotes,
  ) {}

  /**
   * Shared by every module under /apps/{app}/environments/{env}: 404 unless the app is visible and
   * the environment (name or id) is in it; 403 below `role`. Environments being deleted still resolve.
   */
  async resolve(actor: Actor, appRef: string, envRef: string, role: TeamRole): Promise<EnvironmentRecord> {
    const app = await this.apps.resolve(actor, appRef, role);
    const env = await this.environments.findByRef(app.teamId, app.id, envRef);
    if (!env) throw DomainError.notFound('environment', envRef);
    this.notes.scope({ environmentId: env.id, environmentName: env.name });
    return env;
  }

  /**
   * For writers inside `tx.run`: locks the environment row (serialising deploys, config and
   * formation changes of one environment) and returns its current state. 409 while it is being deleted.
   */
  async lockForWrite(env: EnvironmentRecord): Promise<EnvironmentRecord> {
    if (!this.tx.inTransaction) throw new Error('lockForWrite must run inside a transaction');
    const fresh = (await this.environments.lock(env.teamId, env.id)) ? await this.environments.findById(env.teamId, env.id) : null;
    if (!fresh) throw DomainError.notFound('environment', env.name);
    if (fresh.state === 'deleting') throw new DomainError('invalid-state', `environment "${env.name}" is being deleted`);
    return fresh;
  }

  /**
   * The one concurrency rule (docs/api-conventions.md): an expected version is optional and, when
   * given, must be the current one (412 otherwise). Call with the row locked (after `lockForWrite`).
   */
  checkVersion(env: EnvironmentRecord, expectedVersion: number | undefined): void {
    if (expectedVersion !== undefined && env.version !== expectedVersion) {
      throw new DomainError('precondition-failed', `environment "${env.name}" changed since version ${expectedVersion}; it is at version ${env.version}`, { field: 'If-Match' });
    }
  }

  /** Moves the environment's version on (its formation changed); returns the new version. */
  async touch(env: EnvironmentRecord): Promise<number> {
    const version = await this.environments.touch(env.teamId, env.id);
    if (version === null) throw DomainError.notFound('environment', env.name);
    return version;
  }

  /** Hands out the next release number; inside the caller's transaction, so a rollback returns it. */
  async nextReleaseNumber(env: EnvironmentRecord): Promise<number> {
    if (!this.tx.inTransaction) throw new Error('nextReleaseNumber must run inside a transaction');
    const bumped = await this.environments.bumpReleaseCounter(env.teamId, env.id);
    if (!bumped) throw DomainError.notFound('environment', env.name);
    if (bumped.state === 'deleting') throw new DomainError('invalid-state', `environment "${env.name}" is being deleted`);
    return bumped.releaseCounter;
  }

  /** The environment's current config vars, decrypted. */
  readConfig(env: EnvironmentRecord): ConfigMap {
    return env.configCiphertext ? this.encryption.decryptJson<ConfigMap>(env.configCiphertext, env.id) : {};
  }

  /** Replaces the environment's config vars (encrypted, bound to the environment id). */
  async writeConfig(env: EnvironmentRecord, config: ConfigMap): Promise<EnvironmentRecord> {
    const keys = Object.keys(config).sort();
    return this.environments.saveConfig(env.teamId, env.id, this.encryption.encryptJson(config, env.id), keys);
  }

  async create(actor: Actor, appRef: string, input: CreateEnvironmentInput): Promise<EnvironmentModel> {
    const app = await this.apps.resolve(actor, appRef, 'developer');
    const problem = namespaceProblem(app.name, input.name);
    if (problem) throw DomainError.invalid('name', problem);
    if (app.state === 'deleting') throw new DomainError('invalid-state', `app "${app.name}" is being deleted`);
    const env = await this.tx.run(async () => {
      await this.quotas.apply(app.teamId, { environments: 1 });
      const cluster = input.cluster ? await this.placement.explicit(input.cluster) : null;
      if (cluster) refuseProfile(input.security_profile, cluster);
      const created = await this.environments.create({
        teamId: app.teamId,
        appId: app.id,
        name: input.name,
        production: input.production ?? false,
        autoRollback: input.auto_rollback ?? false,
        clusterId: cluster?.id ?? null,
        clusterSelector: input.cluster_selector ?? null,
        ...rolloutSettings(input),
      });
      // The namespace, quota and policies exist before the first deploy.
      await this.events.changed(created.teamId, created.id);
      return created;
    });
    this.notes.scope({ environmentId: env.id, environmentName: env.name });
    return toEnvironmentModel(env);
  }

  async list(actor: Actor, appRef: string, query: PageQuery): Promise<Page<EnvironmentModel>> {
    const app = await this.apps.resolve(actor, appRef, 'viewer');
    const page = pageRequest<string>(query);
    return withCount(toPage(await this.environments.list(app.teamId, app.id, page), page, (e) => e.id, toEnvironmentModel), () => this.environments.count(app.teamId, app.id));
  }

  async get(actor: Actor, appRef: string, envRef: string): Promise<EnvironmentModel> {
    return toEnvironmentModel(await this.resolve(actor, appRef, envRef, 'viewer'));
  }

  async update(actor: Actor, appRef: string, envRef: string, input: UpdateEnvironmentInput, expectedVersion?: number): Promise<EnvironmentModel> {
    const env = await this.resolve(actor, appRef, envRef, 'developer');
    // Known placement: refuse a profile the cluster's admin does not allow now (the reconciler
    // checks again for environments placed later or clusters relabelled since).
    if (input.security_profile && env.cluster) {
      const cluster = await this.placement.placedOn(env.cluster.id);
      if (cluster) refuseProfile(input.security_profile, cluster);
    }
    const updated = await this.tx.run(async () => {
      const changed = await this.environments.update(env.teamId, env.id, { production: input.production, autoRollback: input.auto_rollback, ...rolloutSettings(input) }, expectedVersion);
      if (changed) await this.events.changed(env.teamId, env.id);
      return changed;
    });
    if (!updated) throw new DomainError('precondition-failed', `environment "${env.name}" changed since version ${expectedVersion}`, { field: 'If-Match' });
    this.notes.change({
      before: { production: env.production, auto_rollback: env.autoRollback, ...rolloutView(env) },
      after: { production: updated.production, auto_rollback: updated.autoRollback, ...rolloutView(updated) },
    });
    return toEnvironmentModel(updated);
  }

  /**
   * Deleting is asynchronous (202): the environment is marked `deleting`, deploys to it answer 409,
   * and the reconciler removes the namespace; the record goes once the cluster confirms it.
   */
  async delete(actor: Actor, appRef: string, envRef: string): Promise<EnvironmentModel> {
    const env = await this.resolve(actor, appRef, envRef, 'admin');
    const marked = await this.tx.run(async () => {
      await this.lockForWrite(env);
      const released = await this.environments.usageOf(env.teamId, env.id);
      const updated = await this.environments.markDeleting(env.teamId, env.id);
      await this.quotas.apply(env.teamId, { environments: -1, cpuMillis: -released.cpuMillis, memoryMib: -released.memoryMib });
      await this.events.changed(env.teamId, env.id);
      return updated!;
    });
    this.notes.change({ before: { state: env.state }, after: { state: 'deleting' } });
    return toEnvironmentModel(marked);
  }

}
