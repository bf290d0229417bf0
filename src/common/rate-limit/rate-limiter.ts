// The one place a request draws from a bucket, whatever its transport: REST (RateLimitGuard, weight
// 1), GraphQL over HTTP (weighted by the operation's cost; mutations count like their REST twins),
// graphql-ws connections and subscriptions, and failed authentication per source address.
import { Inject, Injectable, Logger } from '@nestjs/common';
import { BERTH_CONFIG, type BerthConfig } from '../../config/config.js';
import { DomainError } from '../errors/domain-error.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { RateLimitStore } from './rate-limit.store.js';
import { bucketKey, rateLimitHeaders, type BucketName, type BucketPolicy, type Caller } from './token-bucket.js';

export function policiesFrom(config: BerthConfig['rateLimit']): Record<BucketName, BucketPolicy> {
  return {
    api: { name: 'api', capacity: config.burst, perHour: config.perHour },
    deploy: { name: 'deploy', capacity: config.deployPerHour, perHour: config.deployPerHour },
    // Failed authentications per source address (BERTH_AUTH_FAILURE_BURST, BERTH_AUTH_FAILURES_PER_HOUR).
    'auth-failures': { name: 'auth-failures', capacity: config.authFailureBurst, perHour: config.authFailuresPerHour },
  };
}

@Injectable()
export class RateLimiter {
  private readonly logger = new Logger('RateLimiter');
  readonly policies: Record<BucketName, BucketPolicy>;

  constructor(
    private readonly store: RateLimitStore,
    private readonly metrics: MetricsService,
    @Inject(BERTH_CONFIG) private readonly config: BerthConfig,
  ) {
    this.policies = policiesFrom(config.rateLimit);
  }

  get enabled(): boolean {
    return this.config.rateLimit.enabled;
  }

  /**
   * Takes `weight` tokens from the caller's bucket. Answers the RateLimit-* headers to send, or
   * throws a 429 DomainError (with Retry-After). Fails open when the database cannot answer.
   */
  async consume(bucket: BucketName, caller: Caller, weight = 1): Promise<Record<string, string>> {
    if (!this.enabled) return {};
    const policy = this.policies[bucket];
    const key = bucketKey(bucket, caller);
    let state;
    try {
      state = await this.store.take(key, policy, weight);
    } catch (err) {
      // A rate limiter must not turn a database hiccup into an outage of its own.
      this.logger.warn({ err, key }, 'could not check the rate limit; letting the request through');
      return {};
    }
    const headers = rateLimitHeaders(policy, state, weight);
    if (!state.allowed) {
      this.metrics.rateLimited.inc({ bucket });
      throw new DomainError('rate-limited', refusal(bucket, policy, headers['retry-after']!), { headers, extensions: { bucket } });
    }
    return headers;
  }
}

function refusal(bucket: BucketName, policy: BucketPolicy, retryAfter: string): string {
  if (bucket === 'deploy') return `too many deploys: ${policy.perHour} an hour per caller; retry in ${retryAfter} s`;
  if (bucket === 'auth-failures') return `too many failed authentications from this address; retry in ${retryAfter} s`;
  return `too many requests: ${policy.perHour} an hour per caller (bursts of ${policy.capacity}); retry in ${retryAfter} s`;
}
