// Pure rate-limit logic: which bucket a request draws from, whose bucket it is, and the response
// headers. The bucket arithmetic itself runs in Postgres (rate-limit.store.ts), shared by replicas.

export type BucketName = 'api' | 'deploy' | 'auth-failures';

export interface BucketPolicy {
  name: BucketName;
  /** Capacity: requests a caller may make in a burst after idling. */
  capacity: number;
  /** Refill rate in tokens per hour (continuous, not in steps). */
  perHour: number;
}

export interface BucketState {
  /** Tokens left after this request (fractional: the bucket refills continuously). */
  tokens: number;
  /** Whether this request got a token. */
  allowed: boolean;
}

/** Routes never limited: probes and scrapes must work while a caller is being throttled. */
export const EXEMPT_ROUTES: ReadonlySet<string> = new Set(['/healthz', '/readyz', '/metrics']);

/** Creating a release is a deploy; it draws from the stricter deploy bucket instead of the general one. */
const DEPLOY_ROUTE = /^\/v1\/apps\/:[^/]+\/environments\/:[^/]+\/releases\/?$/;

/** The bucket for a request, from its method and route template; undefined when exempt. */
export function bucketFor(method: string, routeTemplate: string | undefined): BucketName | undefined {
  if (routeTemplate !== undefined && EXEMPT_ROUTES.has(routeTemplate)) return undefined;
  if (method.toUpperCase() === 'POST' && routeTemplate !== undefined && DEPLOY_ROUTE.test(routeTemplate)) return 'deploy';
  return 'api';
}

export interface Caller {
  tokenId?: string;
  userId?: string;
  ip?: string;
}

/** Per API token; per user when the token is not known; per client address when anonymous. */
export function callerKey(caller: Caller): string {
  if (caller.tokenId) return `token:${caller.tokenId}`;
  if (caller.userId) return `user:${caller.userId}`;
  return `ip:${caller.ip ?? 'unknown'}`;
}

export function bucketKey(bucket: BucketName, caller: Caller): string {
  return `${bucket}:${callerKey(caller)}`;
}

export function ratePerSecond(policy: BucketPolicy): number {
  return policy.perHour / 3600;
}

/**
 * RateLimit-* fields (draft-ietf-httpapi-ratelimit-headers, the widely deployed separate-fields
 * form): limit = capacity, remaining = whole tokens left, reset = seconds until the bucket is full
 * again. Refusals add Retry-After = seconds until one token is back.
 */
export function rateLimitHeaders(policy: BucketPolicy, state: BucketState, weight = 1): Record<string, string> {
  const rate = ratePerSecond(policy);
  const tokens = Math.max(0, Math.min(policy.capacity, state.tokens));
  const headers: Record<string, string> = {
    'ratelimit-limit': String(policy.capacity),
    'ratelimit-remaining': String(Math.floor(tokens)),
    'ratelimit-reset': String(Math.ceil((policy.capacity - tokens) / rate)),
    'ratelimit-policy': `${policy.capacity};w=${Math.round(policy.capacity / rate)};name="${policy.name}"`,
  };
  if (!state.allowed) headers['retry-after'] = String(Math.max(1, Math.ceil((Math.min(weight, policy.capacity) - tokens) / rate)));
  return headers;
}

/** Seconds after which an untouched bucket is full again, i.e. its row can be deleted. */
export function fullRefillSeconds(policy: BucketPolicy): number {
  return Math.ceil(policy.capacity / ratePerSecond(policy));
}
