import { Injectable } from '@nestjs/common';
import type { Actor } from '../../common/auth/actor.js';
import { AuditNotes } from '../../common/audit/audit-notes.js';
import { DomainError } from '../../common/errors/domain-error.js';
import { pageRequest, toPage, withCount, type Page, type PageQuery } from '../../common/pagination/pagination.js';
import { TransactionHost } from '../../database/prisma.service.js';
import { EnvironmentsService } from '../environments/environments.service.js';
import { DomainsRepository } from './domains.repository.js';
import type { CreateDomainInput } from './dto/create-domain.input.js';
import { toDomainModel, type DomainModel } from './models/domain.model.js';
import { EnvironmentEvents } from '../../common/events/environment-events.js';

export const MAX_DOMAINS_PER_ENVIRONMENT = 50;

@Injectable()
export class DomainsService {
  constructor(
    private readonly domains: DomainsRepository,
    private readonly environments: EnvironmentsService,
    private readonly tx: TransactionHost,
    private readonly events: EnvironmentEvents,
    private readonly notes: AuditNotes,
  ) {}

  async list(actor: Actor, appRef: string, envRef: string, query: PageQuery): Promise<Page<DomainModel>> {
    const env = await this.environments.resolve(actor, appRef, envRef, 'viewer');
    const page = pageRequest<string>(query);
    return withCount(toPage(await this.domains.list(env.teamId, env.id, page), page, (d) => d.id, toDomainModel), () => this.domains.count(env.teamId, env.id));
  }

  async get(actor: Actor, appRef: string, envRef: string, hostname: string): Promise<DomainModel> {
    const env = await this.environments.resolve(actor, appRef, envRef, 'viewer');
    const domain = await this.domains.find(env.teamId, env.id, hostname);
    if (!domain) throw DomainError.notFound('domain', hostname);
    return toDomainModel(domain);
  }

  async create(actor: Actor, appRef: string, envRef: string, input: CreateDomainInput): Promise<DomainModel> {
    const resolved = await this.environments.resolve(actor, appRef, envRef, 'developer');
    const domain = await this.tx.run(async () => {
      // The lock keeps two concurrent requests from both passing the count check.
      const env = await this.environments.lockForWrite(resolved);
      if ((await this.domains.count(env.teamId, env.id)) >= MAX_DOMAINS_PER_ENVIRONMENT) {
        throw new DomainError('quota-exceeded', `an environment has at most ${MAX_DOMAINS_PER_ENVIRONMENT} domains`, {
          field: 'hostname',
          extensions: { limit: MAX_DOMAINS_PER_ENVIRONMENT },
        });
      }
      const created = await this.domains.create({ teamId: env.teamId, environmentId: env.id, hostname: input.hostname });
      await this.events.changed(env.teamId, env.id);
      return created;
    });
    return toDomainModel(domain);
  }

  /** Answers the removed domain's id (GraphQL's payload names it). */
  async delete(actor: Actor, appRef: string, envRef: string, hostname: string): Promise<string> {
    const env = await this.environments.resolve(actor, appRef, envRef, 'developer');
    const deleted = await this.tx.run(async () => {
      const gone = await this.domains.delete(env.teamId, env.id, hostname);
      if (gone) await this.events.changed(env.teamId, env.id);
      return gone;
    });
    if (!deleted) throw DomainError.notFound('domain', hostname);
    this.notes.change({ before: { hostname }, after: null });
    return deleted;
  }
}
