import { Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentActor, TeamAccess } from '../../common/auth/access.decorator.js';
import type { Actor } from '../../common/auth/actor.js';
import { Audited } from '../audit/audited.decorator.js';
import { AccessRevocation } from '../auth/access-revocation.js';
import { EnvironmentModel } from '../environments/models/environment.model.js';
import { LogsQuery } from './dto/logs.query.js';
import { OperationsService } from './operations.service.js';
import { streamServerSentEvents } from './sse.js';
import { ApiProblems, ApiStream } from '../../common/openapi/api-decorators.js';

@ApiTags('operations')
@Controller('v1/apps/:app/environments/:env')
export class OperationsController {
  constructor(
    private readonly operations: OperationsService,
    private readonly revocation: AccessRevocation,
  ) {}

  @Post('restart')
  @HttpCode(202)
  @TeamAccess('developer')
  @Audited('environment.restart', 'environment')
  @ApiOperation({ summary: 'Rolling restart of every process (no new release)' })
  @ApiAcceptedResponse({ type: EnvironmentModel })
  restart(@CurrentActor() actor: Actor, @Param('app') app: string, @Param('env') env: string) {
    return this.operations.restart(actor, app, env);
  }

  @Get('drift')
  @TeamAccess('viewer')
  @ApiOperation({ summary: 'Objects found changed or deleted on the cluster and repaired by the resync, newest first' })
  @ApiOkResponse({ schema: { type: 'array', items: { type: 'object', properties: { object: { type: 'string' }, kind: { type: 'string' }, detected_at: { type: 'string' } } } } })
  drift(@CurrentActor() actor: Actor, @Param('app') app: string, @Param('env') env: string) {
    return this.operations.drift(actor, app, env);
  }

  @Get('logs')
  @TeamAccess('developer')
  @ApiOperation({ summary: 'Log lines of the environment\'s pods as server-sent events (`data: {"pod","process_type","line"}`)' })
  @ApiProduces('text/event-stream')
  @ApiStream('text/event-stream', 'Server-sent events, one log line each (`data: {"pod","process_type","line"}`)')
  @ApiProblems(503)
  async logs(@CurrentActor() actor: Actor, @Param('app') app: string, @Param('env') env: string, @Query() query: LogsQuery, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const aborter = new AbortController();
    request.raw.on('close', () => aborter.abort());
    // The stream ends when the caller's token is revoked or expires or the role is lost (any replica).
    const unregister = this.revocation.register(actor, (reason) => aborter.abort(reason));
    try {
      await streamServerSentEvents(reply, await this.operations.logs(actor, app, env, query, aborter.signal));
    } finally {
      unregister();
    }
  }
}
