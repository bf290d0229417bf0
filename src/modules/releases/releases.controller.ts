import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentActor, TeamAccess } from '../../common/auth/access.decorator.js';
import type { Actor } from '../../common/auth/actor.js';
import { ApiPage } from '../../common/http/api-page.decorator.js';
import { PageQuery } from '../../common/pagination/pagination.js';
import { Audited } from '../audit/audited.decorator.js';
import { CreateReleaseInput } from './dto/create-release.input.js';
import { ReleaseModel } from './models/release.model.js';
import { ReleasesService } from './releases.service.js';
import { streamReleaseEvents } from './release-events.js';
import { DEFAULT_EVENTS_TIMEOUT_SECONDS, ReleaseEventsQuery } from './dto/release-events.query.js';

// Releases are immutable: there is deliberately no PATCH, PUT or DELETE.
@ApiTags('releases')
@Controller('v1/apps/:app/environments/:env/releases')
export class ReleasesController {
  constructor(private readonly releases: ReleasesService) {}

  @Audited('release.create', 'release')
  @Post()
  @TeamAccess('developer')
  @ApiOperation({ summary: 'Deploy an image ({image}) or roll back to an earlier release ({rollback_to})' })
  @ApiCreatedResponse({ type: ReleaseModel })
  create(@CurrentActor() actor: Actor, @Param('app') app: string, @Param('env') env: string, @Body() input: CreateReleaseInput) {
    return this.releases.create(actor, app, env, input);
  }

  @Get()
  @TeamAccess('viewer')
  @ApiOperation({ summary: 'List releases, newest first' })
  @ApiPage(ReleaseModel)
  list(@CurrentActor() actor: Actor, @Param('app') app: string, @Param('env') env: string, @Query() query: PageQuery) {
    return this.releases.list(actor, app, env, query);
  }

  @Get(':release')
  @TeamAccess('viewer')
  @ApiOperation({ summary: 'Get a release by number (7 or v7)' })
  @ApiOkResponse({ type: ReleaseModel })
  get(@CurrentActor() actor: Actor, @Param('app') app: string, @Param('env') env: string, @Param('release') release: string) {
    return this.releases.get(actor, app, env, release);
  }

  @Get(':release/events')
  @TeamAccess('viewer')
  @ApiOperation({
    summary: 'Wait for a release: its status as server-sent events until it is terminal',
    description:
      'Each change of phase, reason or message is one `event: status` whose data is the release (as GET of the release answers). ' +
      'The first event is the current state; the stream ends after a terminal phase (succeeded, failed, superseded), or after timeout_seconds. ' +
      'It also ends, with an `event: error` naming the reason, when the caller\'s token is revoked or expires or the team role is lost. ' +
      'Try `curl -N -H "Authorization: Bearer $TOKEN" …/releases/7/events`.',
  })
  @ApiProduces('text/event-stream')
  @ApiOkResponse({ description: 'text/event-stream of `event: status` with a Release as data', type: ReleaseModel })
  async events(@CurrentActor() actor: Actor, @Param('app') app: string, @Param('env') env: string, @Param('release') release: string, @Query() query: ReleaseEventsQuery, @Res() reply: FastifyReply) {
    const aborter = new AbortController();
    const timer = setTimeout(() => aborter.abort(), (query.timeout_seconds ?? DEFAULT_EVENTS_TIMEOUT_SECONDS) * 1000).unref();
    reply.raw.on('close', () => clearTimeout(timer));
    // The response's close (not the request's, which fires once its empty body is read) means the client left.
    reply.raw.on('close', () => aborter.abort());
    await streamReleaseEvents(reply, await this.releases.follow(actor, app, env, release, aborter.signal));
  }
}
