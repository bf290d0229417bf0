import { Args, Query, Resolver } from '@nestjs/graphql';
import { Authenticated, CurrentActor, PlatformAdmin } from '../../common/auth/access.decorator.js';
import type { Actor } from '../../common/auth/actor.js';
import { ConnectionArgs, pageQuery, toConnection } from '../../graphql/pagination/connection.js';
import { AuditEventConnection, AuditEventType, SignedHeadType, VerifyResultType } from './models/audit.types.js';
import { AuditService } from './audit.service.js';
import { AuditQuery, VerifyQuery } from './dto/audit-query.input.js';

@Resolver(() => AuditEventType)
export class AuditResolver {
  constructor(private readonly service: AuditService) {}

  @Query(() => AuditEventConnection, { description: 'The audit log, oldest first: team admins see their teams\' events, platform admins everything' })
  @Authenticated()
  async auditEvents(@CurrentActor() actor: Actor, @Args() page: ConnectionArgs, @Args('filter', { type: () => AuditQuery, nullable: true, description: 'Only the events matching every field given' }) filter?: AuditQuery) {
    return toConnection(await this.service.list(actor, await pageQuery(AuditQuery, page, filter ?? {})), (e) => e.seq, page);
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
