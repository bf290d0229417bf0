import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Authenticated, CurrentActor, PlatformAdmin } from '../../common/auth/access.decorator.js';
import type { Actor } from '../../common/auth/actor.js';
import { ApiPage } from '../../common/http/api-page.decorator.js';
import { AuditService } from './audit.service.js';
import { AuditQuery, VerifyQuery } from './dto/audit-query.input.js';
import { AuditEventModel, SignedHeadModel, VerifyResultModel } from './models/audit-event.model.js';
import { ApiProblems, ApiStream } from '../../common/openapi/api-decorators.js';

@ApiTags('audit')
@Controller('v1/audit-events')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @Authenticated()
  @ApiOperation({ summary: 'Audit events, oldest first; team admins see their teams, platform admins all' })
  @ApiPage(AuditEventModel)
  @ApiProblems(403)
  list(@CurrentActor() actor: Actor, @Query() query: AuditQuery) {
    return this.audit.list(actor, query);
  }

  @Get('export')
  @Authenticated()
  @ApiOperation({ summary: 'Every matching event as NDJSON (one JSON object a line), streamed' })
  @ApiProduces('application/x-ndjson')
  @ApiProblems(403)
  @ApiStream('application/x-ndjson', 'One audit event (as in the list) a line, streamed')
  async export(@CurrentActor() actor: Actor, @Query() query: AuditQuery, @Res() reply: FastifyReply) {
    await streamNdjson(reply, this.audit.export(actor, query));
  }

  @Get('verify')
  @PlatformAdmin()
  @ApiOperation({ summary: 'Check the hash chain; reports the first edited, deleted, reordered or truncated event. Pass a signed head to check truncation against it.' })
  @ApiOkResponse({ type: VerifyResultModel })
  verify(@CurrentActor() actor: Actor, @Query() query: VerifyQuery) {
    return this.audit.verify(actor, query);
  }

  @Get('head')
  @PlatformAdmin()
  @ApiOperation({ summary: 'The chain head, signed with Ed25519: keep it outside Berth to detect truncation later' })
  @ApiOkResponse({ type: SignedHeadModel })
  head(@CurrentActor() actor: Actor) {
    return this.audit.signedHead(actor);
  }
}

async function streamNdjson(reply: FastifyReply, events: AsyncGenerator<unknown>): Promise<void> {
  // Pull the first event before answering, so access errors still become problem documents.
  const first = await events.next();
  reply.raw.writeHead(200, { 'content-type': 'application/x-ndjson; charset=utf-8', 'x-request-id': String(reply.request.id) });
  if (!first.done) reply.raw.write(JSON.stringify(first.value) + '\n');
  for await (const event of events) {
    if (!reply.raw.write(JSON.stringify(event) + '\n')) await new Promise((resolve) => reply.raw.once('drain', resolve));
  }
  reply.raw.end();
}
