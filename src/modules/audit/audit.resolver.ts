import { Args, ArgsType, Field, Query, Resolver } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsOptional, ValidateNested } from 'class-validator';
import { Authenticated, CurrentActor, PlatformAdmin } from '../../common/auth/access.decorator.js';
import type { Actor } from '../../common/auth/actor.js';
import { ConnectionArgs, pageQuery, toConnection } from '../../graphql/pagination/connection.js';
import { AuditEventConnection, AuditEventType, SignedHeadType, VerifyResultType } from './models/audit.types.js';
import { AuditService } from './audit.service.js';
import { AuditQuery, VerifyQuery } from './dto/audit-query.input.js';

/** `auditEvents`: the connection and its filter (REST's query parameters). */
@ArgsType()
class AuditEventsArgs extends ConnectionArgs {
  @Field(() => AuditQuery, { nullable: true, description: 'Only the events matching every field given' })
  @IsOptional()
  @ValidateNested()
  @Type(() => AuditQuery)
  filter?: AuditQuery | null;
}

@Resolver(() => AuditEventType)
export class AuditResolver {
  constructor(private readonly service: AuditService) {}

  @Query(() => AuditEventConnection, { description: 'The audit log, oldest first: team admins see their teams\' events, platform admins everything' })
  @Authenticated()
  async auditEvents(@CurrentActor() actor: Actor, @Args() { filter, ...page }: AuditEventsArgs) {
    return toConnection(await this.service.list(actor, await pageQuery(AuditQuery, page, filter ?? {})), (e) => e.seq, page);
  }

  @Query(() => VerifyResultType, { description: 'Checks the hash chain and the signed checkpoints (platform admins)' })
  @PlatformAdmin()
  auditVerify(@CurrentActor() actor: Actor, @Args('input', { type: () => VerifyQuery, nullable: true, description: 'A signed head exported earlier, to check the log against' }) input?: VerifyQuery) {
    return this.service.verify(actor, input ?? new VerifyQuery());
  }

  @Query(() => SignedHeadType, { description: 'The newest event, signed, to keep outside Berth (platform admins)' })
  @PlatformAdmin()
  auditHead(@CurrentActor() actor: Actor) {
    return this.service.signedHead(actor);
  }
}
