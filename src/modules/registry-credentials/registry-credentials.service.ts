import { EnvironmentEvents } from '../../common/events/environment-events.js';
import { Injectable } from '@nestjs/common';
import type { Actor } from '../../common/auth/actor.js';
import { AuditNotes } from '../../common/audit/audit-notes.js';
import { EncryptionService } from '../../common/crypto/encryption.service.js';
import { DomainError } from '../../common/errors/domain-error.js';
import { TransactionHost } from '../../database/prisma.service.js';
import { TeamsService } from '../teams/teams.service.js';
import type { RegistryLoginInput } from './dto/registry-credential.input.js';
import { toRegistryCredentialModel, type RegistryCredentialModel } from './models/registry-credential.model.js';
import { RegistryCredentialsRepository } from './registry-credentials.repository.js';
import { canonicalRegistry, dockerConfigKey, registryHostProblem } from './registry-host.js';

export interface PullSecret {
  registry: string;
  /** The content of a kubernetes.io/dockerconfigjson Secret's `.dockerconfigjson` key. */
  dockerConfigJson: string;
}

@Injectable()
export class RegistryCredentialsService {
  constructor(
    private readonly credentials: RegistryCredentialsRepository,
    private readonly teams: TeamsService,
    private readonly encryption: EncryptionService,
    private readonly tx: TransactionHost,
    private readonly notes: AuditNotes,
    private readonly events: EnvironmentEvents,
  ) {}

  /** Creates or replaces the team's login for a registry. */
  async put(actor: Actor, teamRef: string, registryRef: string, input: RegistryLoginInput): Promise<RegistryCredentialModel> {
    return (await this.putWithOutcome(actor, teamRef, registryRef, input)).credential;
  }

  /** Like put, and says whether the login was new (REST answers 201) or replaced one (200). */
  async putWithOutcome(actor: Actor, teamRef: string, registryRef: string, input: RegistryLoginInput): Promise<{ credential: RegistryCredentialModel; created: boolean }> {
    const team = await this.teams.resolve(actor, teamRef, 'admin');
    const problem = registryHostProblem(registryRef);
    if (problem) throw DomainError.invalid('registry', problem);
    const registry = canonicalRegistry(registryRef);
    return this.tx.run(async () => {
      const before = await this.credentials.find(team.id, registry);
      const record = await this.credentials.upsert(team.id, registry, input.username, this.encryption.encrypt(input.password, aad(team.id, registry)));
      // The password never enters the audit trail, not even redacted: only that it was set.
      this.notes.change({ before: before ? { registry, username: before.username } : null, after: { registry, username: input.username, password_set: true } });
      // Each environment's image pull Secret is rendered from the team's logins.
      await this.events.teamChanged(team.id);
      return { credential: toRegistryCredentialModel(record), created: !before };
    });
  }

  async list(actor: Actor, teamRef: string): Promise<RegistryCredentialModel[]> {
    const team = await this.teams.resolve(actor, teamRef, 'admin');
    return (await this.credentials.list(team.id)).map(toRegistryCredentialModel);
  }

  /** Answers the forgotten login's id (GraphQL's payload names it). */
  async delete(actor: Actor, teamRef: string, registryRef: string): Promise<string> {
    const team = await this.teams.resolve(actor, teamRef, 'admin');
    const registry = canonicalRegistry(registryRef);
    return this.tx.run(async () => {
      const before = await this.credentials.find(team.id, registry);
      if (!before || !(await this.credentials.delete(team.id, registry))) throw DomainError.notFound('registry credential', registryRef);
      this.notes.change({ before: { registry, username: before.username }, after: null });
      await this.events.teamChanged(team.id);
      return before.id;
    });
  }

  /**
   * The image pull Secret content for images from `imageRegistry` (as parsed from the image
   * reference), or null when the team has no login for it. Internal: for the renderer only.
   */
  async pullSecretFor(teamId: string, imageRegistry: string): Promise<PullSecret | null> {
    const registry = canonicalRegistry(imageRegistry.toLowerCase());
    const stored = await this.credentials.secretFor(teamId, registry);
    if (!stored) return null;
    const password = this.encryption.decrypt(stored.passwordCiphertext, aad(teamId, registry));
    const auth = Buffer.from(`${stored.username}:${password}`).toString('base64');
    return { registry, dockerConfigJson: JSON.stringify({ auths: { [dockerConfigKey(registry)]: { username: stored.username, password, auth } } }) };
  }
}

/** Binds a ciphertext to its team and registry: it cannot be copied to another row and decrypt. */
function aad(teamId: string, registry: string): string {
  return `registry:${teamId}:${registry}`;
}
