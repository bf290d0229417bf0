// The token bucket as one atomic SQL statement: refill by the time elapsed since the last request
// (capped at capacity), then take one token if there is one. The row lock taken by ON CONFLICT DO
// UPDATE serialises concurrent requests of one caller across every replica; callers never wait on
// each other. Database time is used throughout, so replicas' clocks do not matter.
import { Injectable } from '@nestjs/common';
import { PrismaService } from '../../database/prisma.service.js';
import { ratePerSecond, type BucketPolicy, type BucketState } from './token-bucket.js';

/**
 * $1 key, $2 capacity, $3 weight, $4 refill rate per second. A prepared statement sent by `pg`
 * itself: it runs on every limited request (docs/performance.md, Profiles).
 */
const TAKE = {
  name: 'berth_rate_limit_take',
  text: `INSERT INTO rate_limit_buckets AS b (key, tokens, allowed, updated_at)
      VALUES ($1, $2::float8 - $3::float8, true, now())
      ON CONFLICT (key) DO UPDATE SET
        allowed = LEAST($2::float8, b.tokens + GREATEST(0, EXTRACT(EPOCH FROM now() - b.updated_at)::float8) * $4::float8) >= $3::float8,
        tokens = LEAST($2::float8, b.tokens + GREATEST(0, EXTRACT(EPOCH FROM now() - b.updated_at)::float8) * $4::float8)
          - CASE WHEN LEAST($2::float8, b.tokens + GREATEST(0, EXTRACT(EPOCH FROM now() - b.updated_at)::float8) * $4::float8) >= $3::float8 THEN $3::float8 ELSE 0 END,
        updated_at = GREATEST(b.updated_at, now())
      RETURNING tokens, allowed`,
};

@Injectable()
export class RateLimitStore {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * Takes `weight` tokens (1 for a REST request; a GraphQL operation's cost-weighted count) from the
   * bucket `key`, all or none; one round trip. Never joins a request's transaction.
   */
  async take(key: string, policy: BucketPolicy, weight = 1): Promise<BucketState> {
    const capacity = policy.capacity;
    const w = Math.max(1, Math.min(weight, capacity));
    const rate = ratePerSecond(policy);
    const rows = await this.prisma.query<{ tokens: number; allowed: boolean }>(TAKE, [key, capacity, w, rate]);
    const row = rows[0]!;
    return { tokens: Number(row.tokens), allowed: row.allowed };
  }

  /** Deletes buckets untouched for `seconds` (full again by then: the same as no row). */
  async sweep(seconds: number): Promise<number> {
    return this.prisma.client.$executeRaw`DELETE FROM rate_limit_buckets WHERE updated_at < now() - make_interval(secs => ${seconds}::float8)`;
  }
}
