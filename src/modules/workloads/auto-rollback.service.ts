// An environment may ask to roll back by itself: when a release fails on the cluster, Berth makes a
// new release copying the last one that succeeded (as a person would with rollback_to), audited as
// the system.
import { Injectable, Logger } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { Actor } from '../../common/auth/actor.js';
import { requestContext } from '../../common/context/request-context.js';
import { EncryptionService } from '../../common/crypto/encryption.service.js';
import { TransactionHost } from '../../database/prisma.service.js';
import { AuditService } from '../audit/audit.service.js';
import { EnvironmentsService } from '../environments/environments.service.js';
import { ReleasesService } from '../releases/releases.service.js';
import { ReleaseFailureHandler, type ReleaseFailure } from './release-failure.port.js';
import { WorkloadsRepository } from './workloads.repository.js';

export const SYSTEM_ACTOR: Actor = { type: 'system', userId: 'system', name: 'berth', email: 'system@berth', isPlatformAdmin: true, teamRoles: new Map() };

@Injectable()
export class AutoRollbackService {
  private readonly logger = new Logger('AutoRollback');

  constructor(
    private readonly repository: WorkloadsRepository,
    private readonly environments: EnvironmentsService,
    private readonly releases: ReleasesService,
    private readonly encryption: EncryptionService,
    private readonly audit: AuditService,
    private readonly tx: TransactionHost,
  ) {}

  async rollBack(event: ReleaseFailure): Promise<number | null> {
    const state = await this.repository.loadEnvironment(event.environmentId);
    if (!state || !state.autoRollback || state.state !== 'active') return null;
    const target = await this.repository.lastSucceededRelease(event.teamId, event.environmentId, event.releaseNumber);
    if (!target) return null;
    return requestContext.run({ requestId: `auto-rollback:${event.environmentId}:${event.releaseNumber}`, actor: SYSTEM_ACTOR }, () =>
      this.tx.run(async () => {
        const env = await this.environments.lockForWrite(await this.environments.resolve(SYSTEM_ACTOR, state.app.id, state.id, 'developer'));
        // Only if the failed release is still the newest: a person may have deployed again meanwhile.
        if (env.releaseCounter !== event.releaseNumber) return null;
        const config = this.encryption.decryptJson<Record<string, string>>(target.configCiphertext, target.id);
        await this.environments.writeConfig(env, config);
        const release = await this.releases.record(SYSTEM_ACTOR, env, {
          kind: 'rollback',
          image: target.image,
          imageDigest: null,
          config,
          description: `Automatic rollback to v${target.number}: v${event.releaseNumber} failed (${event.reason ?? 'unknown'})`,
          rollbackOf: target.number,
        });
        await this.audit.record({ action: 'release.auto_rollback', target: { type: 'release', id: release.id, name: `v${release.number}` }, teamId: env.teamId, environmentId: env.id, change: { failed: event.releaseNumber, restored: target.number, reason: event.reason } });
        this.logger.warn({ environmentId: env.id, failed: event.releaseNumber, restored: target.number }, 'rolled back automatically');
        return release.number;
      }),
    );
  }
}

/**
 * ReleaseFailureHandler bound to the automatic rollback. The rollback makes a release, a release
 * changes the environment, and that reaches the status observer again (observer → rollback →
 * releases → environment events → workloads → observer), so the rollback service is looked up when
 * a failure happens rather than injected into the observer at construction.
 */
@Injectable()
export class AutoRollbackOnFailure extends ReleaseFailureHandler {
  constructor(private readonly moduleRef: ModuleRef) {
    super();
  }

  releaseFailed(event: ReleaseFailure): Promise<number | null> {
    return this.moduleRef.get(AutoRollbackService).rollBack(event);
  }
}
