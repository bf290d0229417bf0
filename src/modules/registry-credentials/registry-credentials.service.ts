import { Injectable } from '@nestjs/common';
import type { Actor } from '../../common/auth/actor.js';
import { requestContext } from '../../common/context/request-context.js';
import { EncryptionService } from '../../common/crypto/encryption.service.js';
import { DomainError } from '../../common/errors/domain-error.js';
import { TransactionHost } from '../../database/prisma.service.js';
import { TeamsService } from '../teams/teams.service.js';
import type { PutRegistryCredentialInput } from './dto/registry-credential.input.js';
import { toRegistryCredentialModel, type RegistryCredentialModel } from './models/registry-credential.model.js';
import { RegistryCredentialsRepository } from './registry-credentials.repository.js';

@Injectable()
export class RegistryCredentialsService {
  constructor(
    private readonly credentials: RegistryCredentialsRepository,
    private readonly teams: TeamsService,
    private readonly encryption: EncryptionService,
    private readonly tx: TransactionHost,
  ) {}

  async put(actor: Actor, teamRef: string, input: PutRegistryCredentialInput): Promise<RegistryCredentialModel> {
    const team = await this.teams.resolve(actor, teamRef, 'admin');
    const record = await this.tx.run(() => this.credentials.upsert(team.id, input.registry, input.username, this.encryption.encrypt(input.password, aad(team.id, input.registry))));
    requestContext.noteChange({ before: null, after: { registry: input.registry, username: input.username, password: input.password } });
    return toRegistryCredentialModel(record);
  }

  async list(actor: Actor, teamRef: string): Promise<RegistryCredentialModel[]> {
    const team = await this.teams.resolve(actor, teamRef, 'viewer');
    return (await this.credentials.list(team.id)).map(toRegistryCredentialModel);
  }

  async delete(actor: Actor, teamRef: string, registry: string): Promise<void> {
    const team = await this.teams.resolve(actor, teamRef, 'admin');
    if (!(await this.tx.run(() => this.credentials.delete(team.id, registry)))) throw DomainError.notFound('registry credential', registry);
  }

  /** Docker config JSON for an image pull Secret, when the team registered credentials for the registry. */
  async pullSecretFor(teamId: string, registry: string): Promise<{ registry: string; dockerConfigJson: string } | null> {
    const stored = await this.credentials.secretFor(teamId, registry);
    if (!stored) return null;
    const password = this.encryption.decrypt(stored.passwordCiphertext, aad(teamId, registry));
    const auth = Buffer.from(`${stored.username}:${password}`).toString('base64');
    return { registry, dockerConfigJson: JSON.stringify({ auths: { [registry]: { username: stored.username, password, auth } } }) };
  }
}

function aad(teamId: string, registry: string): string {
  return `registry:${teamId}:${registry}`;
}
