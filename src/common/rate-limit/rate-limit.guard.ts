// Rate limits every Nest route per caller. Registered as a global guard by RateLimitModule, which
// AppModule imports after AuthModule, so it runs after AuthGuard and sees request.actor.
// Costs one SQL statement per limited request.
import { Inject, Injectable, Logger, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ACCESS_KEY, requestFromContext, type AccessRule } from '../auth/access.decorator.js';
import type { Actor } from '../auth/actor.js';
import { DomainError } from '../errors/domain-error.js';
import { BERTH_CONFIG, type BerthConfig } from '../../config/config.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { RateLimitStore } from './rate-limit.store.js';
import { bucketFor, bucketKey, rateLimitHeaders, type BucketName, type BucketPolicy } from './token-bucket.js';

export function policiesFrom(config: BerthConfig['rateLimit']): Record<BucketName, BucketPolicy> {
  return {
    api: { name: 'api', capacity: config.burst, perHour: config.perHour },
    deploy: { name: 'deploy', capacity: config.deployPerHour, perHour: config.deployPerHour },
  };
}

@Injectable()
export class RateLimitGuard implements CanActivate {
  private readonly logger = new Logger('RateLimitGuard');
  private readonly policies: Record<BucketName, BucketPolicy>;

  constructor(
    private readonly reflector: Reflector,
    private readonly store: RateLimitStore,
    private readonly metrics: MetricsService,
    @Inject(BERTH_CONFIG) private readonly config: BerthConfig,
  ) {
    this.policies = policiesFrom(config.rateLimit);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (!this.config.rateLimit.enabled || context.getType() !== 'http') return true;
    const request = requestFromContext(context) as unknown as FastifyRequest & { actor?: Actor };
    const bucket = bucketFor(request.method, request.routeOptions.url);
    if (!bucket) return true;
    const rule = this.reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_KEY, [context.getHandler(), context.getClass()]);
    if (rule?.kind !== 'public' && !request.actor) {
      // AuthGuard sets the actor on every non-public route; without it every caller would share one
      // bucket per address. Module order decides guard order: RateLimitModule must follow AuthModule.
      throw new Error('RateLimitGuard ran before AuthGuard');
    }
    const policy = this.policies[bucket];
    const key = bucketKey(bucket, { tokenId: request.actor?.tokenId, userId: request.actor?.userId, ip: request.ip });
    let state;
    try {
      state = await this.store.take(key, policy);
    } catch (err) {
      // Fail open: a rate limiter must not turn a database hiccup into an outage of its own.
      this.logger.warn({ err, key }, 'could not check the rate limit; letting the request through');
      return true;
    }
    const headers = rateLimitHeaders(policy, state);
    if (!state.allowed) {
      this.metrics.rateLimited.inc({ bucket });
      const detail =
        bucket === 'deploy'
          ? `too many deploys: ${policy.perHour} an hour per caller; retry in ${headers['retry-after']} s`
          : `too many requests: ${policy.perHour} an hour per caller (bursts of ${policy.capacity}); retry in ${headers['retry-after']} s`;
      throw new DomainError('rate-limited', detail, { headers, extensions: { bucket } });
    }
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    for (const [name, value] of Object.entries(headers)) void reply.header(name, value);
    return true;
  }
}
