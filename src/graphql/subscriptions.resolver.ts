// Live updates over graphql-ws. Each subscription is authorised when it starts (the same service
// `get` as REST), hears PostgreSQL notifications from every replica, and loads what changed through
// the services again, so a subscriber sees only what it could GET.
import { Args, Resolver, Subscription } from '@nestjs/graphql';
import { CurrentActor, TeamAccess, Authenticated } from '../common/auth/access.decorator.js';
import type { Actor } from '../common/auth/actor.js';
import { encodeCursor } from '../common/pagination/pagination.js';
import { AuditService } from '../modules/audit/audit.service.js';
import { AuditQuery } from '../modules/audit/dto/audit-query.input.js';
import { EnvironmentsService } from '../modules/environments/environments.service.js';
import { ReleasesService } from '../modules/releases/releases.service.js';
import { TeamsService } from '../modules/teams/teams.service.js';
import { pageQuery } from './pagination/connection.js';
import { CHANNELS, PgPubSub } from './pubsub/pg-pubsub.js';
import { EnvironmentType } from '../modules/environments/models/environment.types.js';
import { AuditEventType } from '../modules/audit/models/audit.types.js';
import { ReleaseType } from '../modules/releases/models/release.types.js';
import { APP_REF, ENVIRONMENT_REF, TEAM_REF } from './refs.js';

const asIs = <T>(payload: T): T => payload;

@Resolver()
export class SubscriptionsResolver {
  constructor(
    private readonly pubsub: PgPubSub,
    private readonly environments: EnvironmentsService,
    private readonly releases: ReleasesService,
    private readonly audit: AuditService,
    private readonly teams: TeamsService,
  ) {}

  @Subscription(() => ReleaseType, { resolve: asIs, description: "An environment's releases as their phase changes" })
  @TeamAccess('viewer')
  async releaseStatus(@CurrentActor() actor: Actor, @Args(...APP_REF) app: string, @Args(...ENVIRONMENT_REF) environment: string) {
    const env = await this.environments.get(actor, app, environment);
    return this.pubsub.subscribe(CHANNELS.releaseStatus, async (p) =>
      p.environment_id === env.id && typeof p.number === 'number' ? this.releases.get(actor, env.app.id, env.id, String(p.number)) : undefined,
    );
  }

  @Subscription(() => EnvironmentType, { resolve: asIs, description: 'The environment each time its live status changes' })
  @TeamAccess('viewer')
  async environmentStatus(@CurrentActor() actor: Actor, @Args(...APP_REF) app: string, @Args(...ENVIRONMENT_REF) environment: string) {
    const env = await this.environments.get(actor, app, environment);
    return this.pubsub.subscribe(CHANNELS.environmentStatus, async (p) => (p.environment_id === env.id ? this.environments.get(actor, env.app.id, env.id) : undefined));
  }

  @Subscription(() => AuditEventType, { resolve: asIs, description: "A team's audit events as they are recorded (team admins and platform admins)" })
  @Authenticated()
  async auditEvents(@CurrentActor() actor: Actor, @Args(...TEAM_REF) team: string) {
    const { id: teamId } = await this.teams.get(actor, team);
    await this.audit.list(actor, await pageQuery(AuditQuery, { first: 1 }, { team: teamId })); // admins only, as on REST
    return this.pubsub.subscribe(CHANNELS.audit, async (p) => {
      if (p.team_id !== teamId || typeof p.seq !== 'string') return undefined;
      const page = await this.audit.list(actor, await pageQuery(AuditQuery, { first: 1, after: encodeCursor((BigInt(p.seq) - 1n).toString()) }, { team: teamId }));
      return page.items.find((e) => e.seq === p.seq);
    });
  }
}
