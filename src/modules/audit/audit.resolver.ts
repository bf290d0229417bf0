import { Args, Query, Resolver } from '@nestjs/graphql';
import { Authenticated, CurrentActor, PlatformAdmin } from '../../common/auth/access.decorator.js';
import type { Actor } from '../../common/auth/actor.js';
import { AFTER_ARG, FIRST_ARG, pageQuery, toConnection } from '../../graphql/pagination/connection.js';
import { AuditEventConnection, AuditEventType, SignedHeadType, VerifyResultType } from '../quotas/models/quota-audit.types.js';
import { AuditService } from './audit.service.js';
import { AuditQuery, VerifyQuery } from './dto/audit-query.input.js';

@Resolver(() => AuditEventType)
export class AuditResolver {
  constructor(private readonly service: AuditService) {}

  @Query(() => AuditEventConnection, { description: 'Team admins see their teams; platform admins everything' })
  @Authenticated()
  async auditEvents(@CurrentActor() actor: Actor, @Args('filter', { type: () => AuditQuery, nullable: true }) filter?: AuditQuery, @Args('first', FIRST_ARG) first?: number, @Args('after', AFTER_ARG) after?: string) {
    return toConnection(await this.service.list(actor, await pageQuery(AuditQuery, first, after, filter ?? {})), (e) => e.seq, after);
  }

  @Query(() => VerifyResultType)
  @PlatformAdmin()
  auditVerify(@CurrentActor() actor: Actor, @Args('input', { type: () => VerifyQuery, nullable: true }) input?: VerifyQuery) {
    return this.service.verify(actor, input ?? new VerifyQuery());
  }

  @Query(() => SignedHeadType)
  @PlatformAdmin()
  auditHead(@CurrentActor() actor: Actor) {
    return this.service.signedHead(actor);
  }
}
