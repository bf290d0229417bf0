import { Injectable } from '@nestjs/common';
import { assertTeamRole, visibleTeamIds, type Actor, type TeamRole } from '../../common/auth/actor.js';
import { AuditNotes } from '../../common/audit/audit-notes.js';
import { EnvironmentEvents } from '../../common/events/environment-events.js';
import { DomainError } from '../../common/errors/domain-error.js';
import { pageRequest, toPage, withCount, type Page } from '../../common/pagination/pagination.js';
import { TransactionHost } from '../../database/prisma.service.js';
import { QuotasService } from '../quotas/quotas.service.js';
import { TeamsService } from '../teams/teams.service.js';
import { AppsRepository } from './apps.repository.js';
import type { CreateAppInput, UpdateAppInput } from './dto/create-app.input.js';
import type { ListAppsPageQuery } from './dto/list-apps.query.js';
import { toAppModel, type AppModel, type AppRecord } from './models/app.model.js';

@Injectable()
export class AppsService {
  constructor(
    private readonly apps: AppsRepository,
    private readonly teams: TeamsService,
    private readonly quotas: QuotasService,
    private readonly tx: TransactionHost,
    private readonly events: EnvironmentEvents,
    private readonly notes: AuditNotes,
  ) {}

  /** 404 unless the app is in one of the caller's teams; 403 below `role`. */
  async resolve(actor: Actor, ref: string, role: TeamRole): Promise<AppRecord> {
    const app = await this.apps.findByRef(ref, visibleTeamIds(actor));
    if (!app) throw DomainError.notFound('app', ref);
    this.notes.scope({ teamId: app.teamId, appId: app.id, appName: app.name });
    assertTeamRole(actor, app.teamId, role, 'app', ref);
    return app;
  }

  async create(actor: Actor, input: CreateAppInput): Promise<AppModel> {
    const team = await this.teams.resolve(actor, input.team, 'developer');
    const app = await this.tx.run(async () => {
      await this.quotas.apply(team.id, { apps: 1 });
      return this.apps.create({ teamId: team.id, name: input.name, description: input.description ?? '' });
    });
    this.notes.scope({ appId: app.id, appName: app.name });
    return toAppModel(app);
  }

  async list(actor: Actor, query: ListAppsPageQuery): Promise<Page<AppModel>> {
    let teamIds = visibleTeamIds(actor);
    if (query.team) teamIds = [(await this.teams.resolve(actor, query.team, 'viewer')).id];
    const page = pageRequest<string>(query);
    return withCount(toPage(await this.apps.list(teamIds, page), page, (a) => a.id, toAppModel), () => this.apps.count(teamIds));
  }

  async get(actor: Actor, ref: string): Promise<AppModel> {
    return toAppModel(await this.resolve(actor, ref, 'viewer'));
  }

  async update(actor: Actor, ref: string, input: UpdateAppInput, expectedVersion?: number): Promise<AppModel> {
    const app = await this.resolve(actor, ref, 'developer');
    const updated = await this.tx.run(() => this.apps.update(app.teamId, app.id, { description: input.description }, expectedVersion));
    if (!updated) throw new DomainError('precondition-failed', `app "${app.name}" changed since version ${expectedVersion}`, { field: 'If-Match' });
    this.notes.change({ before: { description: app.description }, after: { description: updated.description } });
    return toAppModel(updated);
  }

  /**
   * An app without environments goes at once (null). One with environments is marked `deleting`
   * with all of them: the reconciler removes their namespaces, then the records, then the app.
   */
  async delete(actor: Actor, ref: string): Promise<AppModel | null> {
    const app = await this.resolve(actor, ref, 'admin');
    return this.tx.run(async () => {
      const released = await this.apps.usageOf(app.teamId, app.id);
      await this.quotas.apply(app.teamId, { apps: -1, environments: -released.environments, cpuMillis: -released.cpuMillis, memoryMib: -released.memoryMib });
      const environments = await this.apps.markDeleting(app.teamId, app.id);
      if (environments.length === 0) {
        await this.apps.delete(app.teamId, app.id);
        return null;
      }
      for (const environmentId of environments) await this.events.changed(app.teamId, environmentId);
      this.notes.change({ before: { state: app.state }, after: { state: 'deleting', environments: environments.length } });
      return toAppModel({ ...app, state: 'deleting' });
    });
  }
}
