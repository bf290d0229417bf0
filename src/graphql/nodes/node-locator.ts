// Finds the parents a nested object's REST path needs (its app and environment) from its uuid, so
// node(id) can call the same service `get` as REST; that call does all the authorisation. Reads
// through the features' repositories.
import { Injectable } from '@nestjs/common';
import { DomainsRepository } from '../../modules/domains/domains.repository.js';
import { EnvironmentsRepository } from '../../modules/environments/environments.repository.js';
import { ReleasesRepository } from '../../modules/releases/releases.repository.js';
import { RegistryCredentialsRepository } from '../../modules/registry-credentials/registry-credentials.repository.js';
import { TeamsRepository } from '../../modules/teams/teams.repository.js';

export interface NodePath {
  appId: string;
  environmentId?: string;
  /** The release number or the domain's hostname. */
  ref?: string;
}

/** Where an object of a team sits: its team and its REST reference within the team. */
export interface TeamPath {
  teamId: string;
  ref: string;
}

@Injectable()
export class NodeLocator {
  constructor(
    private readonly environments: EnvironmentsRepository,
    private readonly releases: ReleasesRepository,
    private readonly domains: DomainsRepository,
    private readonly teams: TeamsRepository,
    private readonly registryCredentials: RegistryCredentialsRepository,
  ) {}

  /** A membership: its team and the member's user id. */
  async member(id: string): Promise<TeamPath | null> {
    const member = await this.teams.locateMember(id);
    return member ? { teamId: member.teamId, ref: member.userId } : null;
  }

  /** A registry credential: its team and registry host. */
  async registryCredential(id: string): Promise<TeamPath | null> {
    const credential = await this.registryCredentials.locate(id);
    return credential ? { teamId: credential.teamId, ref: credential.registry } : null;
  }

  async environment(id: string): Promise<NodePath | null> {
    const env = await this.environments.locate(id);
    return env ? { appId: env.appId, environmentId: id } : null;
  }

  async release(id: string): Promise<NodePath | null> {
    const release = await this.releases.locate(id);
    return release ? { appId: release.appId, environmentId: release.environmentId, ref: String(release.number) } : null;
  }

  async domain(id: string): Promise<NodePath | null> {
    const domain = await this.domains.locate(id);
    return domain ? { appId: domain.appId, environmentId: domain.environmentId, ref: domain.hostname } : null;
  }
}
