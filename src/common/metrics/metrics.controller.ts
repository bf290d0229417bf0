import { Controller, Get, Header, Headers, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { timingSafeEqual, createHash } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { Public } from '../auth/access.decorator.js';
import { DomainError } from '../errors/domain-error.js';
import { BERTH_CONFIG, type BerthConfig } from '../../config/config.js';
import { MetricsService } from './metrics.service.js';

@ApiTags('health')
@Controller()
export class MetricsController {
  constructor(
    private readonly metrics: MetricsService,
    @Inject(BERTH_CONFIG) private readonly config: BerthConfig,
  ) {}

  // Public as far as API tokens go: Prometheus has no Berth token. When BERTH_METRICS_TOKEN is
  // set, the scraper must send it as a bearer token (checked here, not by the AuthGuard).
  @Get('metrics')
  @Public()
  @Header('cache-control', 'no-store')
  @ApiOperation({ summary: 'Prometheus metrics (text exposition format)', description: 'Requires `Authorization: Bearer <BERTH_METRICS_TOKEN>` when that variable is set.' })
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'Prometheus text format 0.0.4', schema: { type: 'string' } })
  @ApiUnauthorizedResponse({ description: 'BERTH_METRICS_TOKEN is set and the request did not carry it' })
  async scrape(@Headers('authorization') authorization: string | undefined, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    if (this.config.metricsToken && !matches(authorization, this.config.metricsToken)) {
      throw new DomainError('unauthenticated', 'send the metrics token as "Authorization: Bearer <BERTH_METRICS_TOKEN>"', {
        headers: { 'www-authenticate': 'Bearer realm="berth-metrics"' },
      });
    }
    const { contentType, body } = await this.metrics.render();
    void reply.header('content-type', contentType);
    return body;
  }
}

function matches(authorization: string | undefined, expected: string): boolean {
  const given = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
  if (!given) return false;
  // Compare digests: constant time regardless of the lengths.
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}
