// Extension point for work that must happen with every new release (audit trail, signature and
// policy checks, the Kubernetes rollout). Hooks run inside the release's transaction, so throwing
// a DomainError refuses the release and nothing is written; work outside the database (the
// Kubernetes rollout) is queued in that transaction and done by the workers after commit.
import { Injectable } from '@nestjs/common';
import type { Actor } from '../../common/auth/actor.js';
import type { EnvironmentRecord } from '../environments/models/environment.model.js';
import type { ReleaseRecord } from './models/release.model.js';

export type ReleaseKind = 'deploy' | 'rollback' | 'config';

export interface ReleaseEvent {
  kind: ReleaseKind;
  actor: Actor;
  environment: EnvironmentRecord;
  release: ReleaseRecord;
}

export type ReleaseHook = (event: ReleaseEvent) => Promise<void>;

@Injectable()
export class ReleaseHooks {
  private readonly hooks: ReleaseHook[] = [];

  /** Call from a provider's onModuleInit. Hooks run in registration order. */
  register(hook: ReleaseHook): void {
    this.hooks.push(hook);
  }

  async run(event: ReleaseEvent): Promise<void> {
    for (const hook of this.hooks) await hook(event);
  }
}
