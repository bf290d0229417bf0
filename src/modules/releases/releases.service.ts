import { Injectable, type BeforeApplicationShutdown } from '@nestjs/common';
import type { Actor } from '../../common/auth/actor.js';
import { EncryptionService } from '../../common/crypto/encryption.service.js';
import { DomainError } from '../../common/errors/domain-error.js';
import { pageRequest, toPage, withCount, type Page, type PageQuery } from '../../common/pagination/pagination.js';
import { parseImageReference } from '../../common/validation/image-reference.js';
import { TransactionHost } from '../../database/prisma.service.js';
import { AccessRevocation } from '../auth/access-revocation.js';
import { EnvironmentsService, type ConfigMap } from '../environments/environments.service.js';
import type { EnvironmentRecord } from '../environments/models/environment.model.js';
import { FormationService } from '../formation/formation.service.js';
import { QuotasService } from '../quotas/quotas.service.js';
import type { CreateReleaseInput } from './dto/create-release.input.js';
import { toReleaseModel, versionLabel, type ReleaseModel, type ReleaseRecord } from './models/release.model.js';
import { EnvironmentEvents } from '../../common/events/environment-events.js';
import { StreamAccessEnded } from './release-events.js';
import { ReleasesRepository } from './releases.repository.js';
import { uuidv7 } from './uuid7.js';

export type ReleaseKind = 'deploy' | 'rollback' | 'config';

export interface ReleaseSpec {
  kind: ReleaseKind;
  image: string;
  imageDigest: string | null;
  config: ConfigMap;
  description: string;
  rollbackOf?: number | null;
}

const RELEASE_REF = /^v?([1-9][0-9]{0,9})$/;
const FOLLOW_INTERVAL_MS = 500;

function statusKey(r: ReleaseModel): string {
  return `${r.status.phase}|${r.status.reason ?? ''}|${r.status.message ?? ''}`;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}

@Injectable()
export class ReleasesService implements BeforeApplicationShutdown {
  /** Ends every status stream when Berth shuts down (before the HTTP server waits for open responses). */
  private readonly shutdown = new AbortController();

  constructor(
    private readonly releases: ReleasesRepository,
    private readonly environments: EnvironmentsService,
    private readonly formation: FormationService,
    private readonly encryption: EncryptionService,
    private readonly events: EnvironmentEvents,
    private readonly quotas: QuotasService,
    private readonly tx: TransactionHost,
    private readonly revocation: AccessRevocation,
  ) {}

  async create(actor: Actor, appRef: string, envRef: string, input: CreateReleaseInput): Promise<ReleaseModel> {
    const resolved = await this.environments.resolve(actor, appRef, envRef, 'developer');
    if (input.image === undefined && input.rollback_to === undefined) throw DomainError.invalid('image', 'give either image (deploy) or rollback_to (rollback)');
    if (input.image !== undefined && input.rollback_to !== undefined) throw DomainError.invalid('rollback_to', 'give either image or rollback_to, not both');
    const release = await this.tx.run(async () => {
      const env = await this.environments.lockForWrite(resolved);
      if (input.image !== undefined) {
        const digest = parseImageReference(input.image)?.digest ?? null;
        const description = input.description ?? `Deploy ${input.image}`;
        return this.record(actor, env, { kind: 'deploy', image: input.image, imageDigest: digest, config: this.environments.readConfig(env), description });
      }
      const target = input.rollback_to!;
      const old = await this.releases.findByNumber(env.teamId, env.id, target);
      if (!old) throw DomainError.invalid('rollback_to', `environment "${env.name}" has no release ${versionLabel(target)}`);
      // As on Heroku, a rollback restores the old config as the environment's current config too.
      const config = this.encryption.decryptJson<ConfigMap>(old.configCiphertext, old.id);
      const restored = await this.environments.writeConfig(env, config);
      const description = input.description ?? `Rollback to ${versionLabel(target)}`;
      return this.record(actor, restored, { kind: 'rollback', image: old.image, imageDigest: old.imageDigest, config, description, rollbackOf: target });
    });
    return this.toModel(release);
  }

  async list(actor: Actor, appRef: string, envRef: string, query: PageQuery): Promise<Page<ReleaseModel>> {
    const env = await this.environments.resolve(actor, appRef, envRef, 'viewer');
    const page = pageRequest<number>(query, 'number');
    const rows = await this.releases.list(env.teamId, env.id, page);
    const creators = await this.releases.creators(rows.flatMap((r) => (r.createdById ? [r.createdById] : [])));
    return withCount(toPage(rows, page, (r) => r.number, (r) => toReleaseModel(r, creators)), () => this.releases.count(env.teamId, env.id));
  }

  async get(actor: Actor, appRef: string, envRef: string, ref: string): Promise<ReleaseModel> {
    const env = await this.environments.resolve(actor, appRef, envRef, 'viewer');
    const match = RELEASE_REF.exec(ref);
    const release = match ? await this.releases.findByNumber(env.teamId, env.id, Number(match[1])) : null;
    if (!release) throw DomainError.notFound('release', ref);
    return this.toModel(release);
  }

  /**
   * A release's status changes until it is terminal, for GET …/releases/{n}/events (server-sent
   * events). The access check is the GET's, done before the first event. The stream reads the row
   * every `intervalMs` rather than relying on notifications, so it ends on any database (embedded
   * PGlite included) once the release is succeeded, failed or superseded, or when `signal` aborts.
   */
  async follow(actor: Actor, appRef: string, envRef: string, ref: string, clientSignal: AbortSignal, intervalMs = FOLLOW_INTERVAL_MS): Promise<AsyncGenerator<ReleaseModel>> {
    const first = await this.get(actor, appRef, envRef, ref);
    const env = await this.environments.resolve(actor, appRef, envRef, 'viewer');
    const releases = this.releases;
    const toModel = (r: ReleaseRecord) => this.toModel(r);
    const revocation = this.revocation;
    const shutdown = this.shutdown.signal;
    return (async function* () {
      // The stream ends as soon as the caller loses access to this team's objects (token revoked or
      // expired, role lowered or removed, on any replica), as graphql-ws subscriptions and log streams do.
      const revoked = new AbortController();
      const unregister = revocation.register(actor, (reason) => revoked.abort(reason), { teamId: env.teamId });
      const signal = AbortSignal.any([clientSignal, shutdown, revoked.signal]);
      try {
        let last = first;
        yield first;
        while (!last.status.terminal && !signal.aborted) {
          await sleep(intervalMs, signal);
          if (signal.aborted) break;
          const row = await releases.findByNumber(env.teamId, env.id, first.number);
          if (!row) return; // dropped by the retention quota: nothing more will happen to it
          const next = await toModel(row);
          if (statusKey(next) !== statusKey(last)) yield next;
          last = next;
        }
        if (revoked.signal.aborted) throw new StreamAccessEnded(String(revoked.signal.reason));
      } finally {
        unregister();
      }
    })();
  }

  beforeApplicationShutdown(): void {
    this.shutdown.abort();
  }

  /**
   * For config changes (inside the caller's transaction, environment locked): a new release with the
   * newest release's image and the given config; null when the environment was never deployed.
   */
  async releaseConfigChange(actor: Actor, env: EnvironmentRecord, config: ConfigMap, description: string): Promise<ReleaseRecord | null> {
    const latest = await this.releases.findLatest(env.teamId, env.id);
    if (!latest) return null;
    return this.record(actor, env, { kind: 'config', image: latest.image, imageDigest: latest.imageDigest, config, description });
  }

  /**
   * The one way a release comes into being. Must run inside a transaction that already holds the
   * environment lock (EnvironmentsService.lockForWrite); the number, the row and every hook commit
   * together or not at all.
   */
  async record(actor: Actor, env: EnvironmentRecord, spec: ReleaseSpec): Promise<ReleaseRecord> {
    const number = await this.environments.nextReleaseNumber(env);
    await this.formation.ensureDefault(env);
    const formation = await this.formation.snapshot(env);
    const id = uuidv7();
    const release = await this.releases.create({
      id,
      teamId: env.teamId,
      environmentId: env.id,
      number,
      image: spec.image,
      imageDigest: spec.imageDigest,
      configCiphertext: this.encryption.encryptJson(spec.config, id),
      configKeys: Object.keys(spec.config).sort(),
      formation,
      description: spec.description,
      rollbackOf: spec.rollbackOf ?? null,
      createdById: actor.type === 'user' ? actor.userId : null,
    });
    // The team's releases_retained quota bounds history; older releases can no longer be rolled back to.
    const retained = await this.quotas.releasesRetained(env.teamId);
    await this.releases.deleteUpTo(env.teamId, env.id, number - retained);
    await this.releases.supersedeBefore(env.teamId, env.id, number);
    // Every release (deploy, rollback, config change) changes what should run.
    await this.events.changed(env.teamId, env.id);
    return release;
  }

  async toModel(release: ReleaseRecord): Promise<ReleaseModel> {
    return toReleaseModel(release, await this.releases.creators(release.createdById ? [release.createdById] : []));
  }
}
