import { describe, expect, it } from '@jest/globals';
import { ConfigError, loadConfig } from '../../src/config/config.js';
import { RateLimitGuard } from '../../src/common/rate-limit/rate-limit.guard.js';
import { RateLimiter } from '../../src/common/rate-limit/rate-limiter.js';
import { bucketFor, bucketKey, callerKey, fullRefillSeconds, rateLimitHeaders, type BucketPolicy } from '../../src/common/rate-limit/token-bucket.js';

const HEROKU: BucketPolicy = { name: 'api', capacity: 4500, perHour: 4500 };

describe('rate-limit buckets', () => {
  it('sends deploys (POST to the releases collection) to the deploy bucket, by route template', () => {
    expect(bucketFor('POST', '/v1/apps/:app/environments/:env/releases')).toBe('deploy');
    expect(bucketFor('post', '/v1/apps/:name/environments/:environment/releases')).toBe('deploy');
    expect(bucketFor('GET', '/v1/apps/:app/environments/:env/releases')).toBe('api');
    expect(bucketFor('POST', '/v1/apps/:app/environments/:env/releases/:release/rollback')).toBe('api');
    expect(bucketFor('POST', '/v1/apps')).toBe('api');
    expect(bucketFor('GET', undefined)).toBe('api');
  });

  it('exempts health, readiness and metrics', () => {
    for (const path of ['/healthz', '/readyz', '/metrics']) expect(bucketFor('GET', path)).toBeUndefined();
  });

  it('keys by API token, else user, else client address', () => {
    expect(callerKey({ tokenId: 't1', userId: 'u1', ip: '10.0.0.1' })).toBe('token:t1');
    expect(callerKey({ userId: 'u1', ip: '10.0.0.1' })).toBe('user:u1');
    expect(callerKey({ ip: '10.0.0.1' })).toBe('ip:10.0.0.1');
    expect(bucketKey('deploy', { tokenId: 't1' })).toBe('deploy:token:t1');
  });
});

describe('RateLimit headers', () => {
  it('reports capacity, whole tokens left and seconds until full', () => {
    expect(rateLimitHeaders(HEROKU, { tokens: 4499.6, allowed: true })).toEqual({
      'ratelimit-limit': '4500',
      'ratelimit-remaining': '4499',
      'ratelimit-reset': '1',
      'ratelimit-policy': '4500;w=3600;name="api"',
    });
    // Empty at 75 a minute: 3600 s to fill.
    expect(rateLimitHeaders(HEROKU, { tokens: 0, allowed: true })['ratelimit-reset']).toBe('3600');
  });

  it('adds Retry-After (seconds until one token is back, at least 1) to refusals', () => {
    // 1.25 tokens a second: 0.4 missing is 0.32 s, rounded up.
    expect(rateLimitHeaders(HEROKU, { tokens: 0.6, allowed: false })['retry-after']).toBe('1');
    const deploy: BucketPolicy = { name: 'deploy', capacity: 60, perHour: 60 };
    expect(rateLimitHeaders(deploy, { tokens: 0.5, allowed: false })['retry-after']).toBe('30');
    expect(rateLimitHeaders(deploy, { tokens: 0.5, allowed: true })['retry-after']).toBeUndefined();
  });

  it('clamps out-of-range token counts', () => {
    expect(rateLimitHeaders(HEROKU, { tokens: -0.0001, allowed: false })['ratelimit-remaining']).toBe('0');
    expect(rateLimitHeaders(HEROKU, { tokens: 4600, allowed: true })['ratelimit-remaining']).toBe('4500');
  });

  it('knows when an idle bucket is full again (rows older than that are swept)', () => {
    expect(fullRefillSeconds(HEROKU)).toBe(3600);
    expect(fullRefillSeconds({ name: 'api', capacity: 100, perHour: 3600 })).toBe(100);
  });
});

describe('configuration of metrics, rate limits and shutdown', () => {
  it('defaults to Heroku-like limits, a 25 s shutdown and public metrics', () => {
    const config = loadConfig({});
    expect(config.rateLimit).toEqual({ enabled: true, perHour: 4500, burst: 4500, deployPerHour: 60, authFailureBurst: 20, authFailuresPerHour: 360 });
    expect(config.trustProxy).toBe(false);
    expect(config.shutdownTimeoutMs).toBe(25_000);
    expect(config.metricsToken).toBeUndefined();
  });

  it('reads every variable; the burst follows the hourly rate unless set', () => {
    const config = loadConfig({
      BERTH_RATE_LIMIT_PER_HOUR: '1200',
      BERTH_DEPLOY_RATE_LIMIT_PER_HOUR: '10',
      BERTH_RATE_LIMIT_ENABLED: 'false',
      BERTH_SHUTDOWN_TIMEOUT_MS: '5000',
      BERTH_METRICS_TOKEN: 'a-long-enough-metrics-token',
      BERTH_AUTH_FAILURE_BURST: '5',
      BERTH_AUTH_FAILURES_PER_HOUR: '60',
      BERTH_TRUST_PROXY: 'true',
    });
    expect(config.rateLimit).toEqual({ enabled: false, perHour: 1200, burst: 1200, deployPerHour: 10, authFailureBurst: 5, authFailuresPerHour: 60 });
    expect(config.trustProxy).toBe(true);
    expect(config.shutdownTimeoutMs).toBe(5000);
    expect(config.metricsToken).toBe('a-long-enough-metrics-token');
    expect(loadConfig({ BERTH_RATE_LIMIT_BURST: '100' }).rateLimit.burst).toBe(100);
  });

  it.each([
    ['BERTH_RATE_LIMIT_PER_HOUR', '0'],
    ['BERTH_RATE_LIMIT_BURST', 'lots'],
    ['BERTH_DEPLOY_RATE_LIMIT_PER_HOUR', '-1'],
    ['BERTH_RATE_LIMIT_ENABLED', 'maybe'],
    ['BERTH_SHUTDOWN_TIMEOUT_MS', '1.5'],
    ['BERTH_METRICS_TOKEN', 'short'],
    ['BERTH_AUTH_FAILURE_BURST', '0'],
    ['BERTH_TRUST_PROXY', 'sometimes'],
  ])('rejects %s=%s naming the variable', (name, value) => {
    let error: unknown;
    try {
      loadConfig({ [name]: value });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).variable).toBe(name);
  });
});

describe('RateLimitGuard', () => {
  function run(options: { rule: string; actor?: { tokenId?: string; userId: string }; ip?: string; url?: string }) {
    const keys: string[] = [];
    const headers: Record<string, string> = {};
    const store = { take: async (key: string) => (keys.push(key), { tokens: 3, allowed: true }) };
    const reflector = { getAllAndOverride: () => ({ kind: options.rule }) };
    const metrics = { rateLimited: { inc: () => undefined } };
    const config = loadConfig({});
    const request = { method: 'GET', routeOptions: { url: options.url ?? '/v1/things' }, ip: options.ip ?? '10.1.2.3', actor: options.actor, headers: {} };
    const reply = { header: (name: string, value: string) => void (headers[name] = value) };
    const http = { getRequest: () => request, getResponse: () => reply };
    const context = { getType: () => 'http', getHandler: () => undefined, getClass: () => undefined, switchToHttp: () => http, getArgs: () => [request, reply] };
    const guard = new RateLimitGuard(reflector as never, new RateLimiter(store as never, metrics as never, config));
    return { result: guard.canActivate(context as never), keys, headers };
  }

  it('limits anonymous callers of public routes by client address', async () => {
    const { result, keys, headers } = run({ rule: 'public', ip: '203.0.113.9' });
    await expect(result).resolves.toBe(true);
    expect(keys).toEqual(['api:ip:203.0.113.9']);
    expect(headers['ratelimit-remaining']).toBe('3');
  });

  it('limits by token, or by user when the actor has no token', async () => {
    const byToken = run({ rule: 'authenticated', actor: { tokenId: 't1', userId: 'u1' } });
    await byToken.result;
    expect(byToken.keys).toEqual(['api:token:t1']);
    const byUser = run({ rule: 'authenticated', actor: { userId: 'u1' } });
    await byUser.result;
    expect(byUser.keys).toEqual(['api:user:u1']);
  });

  it('refuses to run before authentication on a protected route', async () => {
    await expect(run({ rule: 'authenticated' }).result).rejects.toThrow('RateLimitGuard ran before AuthGuard');
  });
});
