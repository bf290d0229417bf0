// Failed authentication, bounded per source address: after AUTH_FAILURE_POLICY's burst of failures
// an address gets 429 (Retry-After) instead of 401, for good and bad tokens alike, until its bucket
// refills, so tokens cannot be guessed at speed. Denials are audited without letting an anonymous
// caller grow the audit log without bound: the first failure of an address in a window is recorded
// at once (the request's own `access.denied`), the rest of the window as ONE `auth.failed` event with
// their count when the window closes. At most two events per address and window (WINDOW_MS).
import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { requestContext } from '../../common/context/request-context.js';
import { DomainError } from '../../common/errors/domain-error.js';
import { RateLimiter } from '../../common/rate-limit/rate-limiter.js';
import { AuditService } from '../audit/audit.service.js';

export const WINDOW_MS = 60_000;
/**
 * Addresses tracked one by one per window; beyond this (an attacker rotating IPv6 addresses) the
 * rest share one tally, `other`, so memory and audit events stay bounded per window as well.
 */
export const MAX_SOURCES_PER_WINDOW = 10_000;

/** The request that failed to authenticate, for its audit event. */
export interface FailedRequest {
  method: string;
  route: string;
  path: string;
}

interface Tally {
  count: number;
  since: Date;
  last: Date;
  reasons: Set<string>;
}

@Injectable()
export class FailedAuthentication implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('FailedAuthentication');
  /** Addresses refused until the given time (ms), so a refused source costs no database query. */
  private readonly blockedUntil = new Map<string, number>();
  /** Per address: failures since the window's first (already recorded) one. */
  private readonly pending = new Map<string, Tally>();
  /** Addresses whose first failure of the current window was recorded. */
  private readonly seen = new Set<string>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly limiter: RateLimiter,
    private readonly audit: AuditService,
  ) {}

  onModuleInit(): void {
    this.timer = setInterval(() => void this.flush(), WINDOW_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.flush();
  }

  /** Throws the 429 when `source` is refused for now (no query). */
  assertAllowed(source: string | undefined): void {
    const until = this.blockedUntil.get(source ?? 'unknown');
    if (until === undefined) return;
    const now = Date.now();
    if (until <= now) {
      this.blockedUntil.delete(source ?? 'unknown');
      return;
    }
    this.count(source ?? 'unknown', 'refused: too many failed authentications');
    throw tooMany(Math.ceil((until - now) / 1000));
  }

  /**
   * Counts a failure of `source`; answers the error to throw: the 401 given, or a 429. The first
   * failure of the address in the window is audited at once, as the request's own `access.denied`
   * event; the rest of the window's are counted into one `auth.failed` event.
   */
  async failed(source: string | undefined, error: DomainError, where: FailedRequest): Promise<DomainError> {
    const ip = source ?? 'unknown';
    const crowded = !this.seen.has(ip) && this.seen.size >= MAX_SOURCES_PER_WINDOW;
    let answer = error;
    try {
      await this.limiter.consume('auth-failures', { ip });
    } catch (refusal) {
      if (!(refusal instanceof DomainError)) throw refusal;
      const retryAfter = Number(refusal.options.headers?.['retry-after'] ?? 1);
      this.blockedUntil.set(ip, Date.now() + retryAfter * 1000);
      answer = tooMany(retryAfter);
    }
    if (crowded) {
      this.count('other', error.detail);
      return answer;
    }
    if (!this.seen.has(ip)) {
      this.seen.add(ip);
      await this.audit
        .record({ action: 'access.denied', outcome: 'denied', target: { type: 'route', id: null, name: `${where.method} ${where.route}` }, change: { status: answer.status, code: answer.code, path: where.path } })
        .catch((err: unknown) => this.logger.error({ err, ip }, 'could not audit a failed authentication'));
      return answer;
    }
    this.count(ip, error.detail);
    return answer;
  }

  private count(ip: string, reason: string): void {
    const now = new Date();
    const tally = this.pending.get(ip);
    if (tally) {
      tally.count++;
      tally.last = now;
      if (tally.reasons.size < 5) tally.reasons.add(reason);
    } else this.pending.set(ip, { count: 1, since: now, last: now, reasons: new Set([reason]) });
  }

  /** Records the aggregated failures of the closing window, one event per address. */
  async flush(): Promise<void> {
    const pending = [...this.pending];
    this.pending.clear();
    this.seen.clear();
    const now = Date.now();
    for (const [ip, until] of this.blockedUntil) if (until <= now) this.blockedUntil.delete(ip);
    for (const [ip, tally] of pending) await this.record(ip, tally);
  }

  private async record(ip: string, tally: Tally): Promise<void> {
    try {
      await requestContext.run({ requestId: `auth-failures:${tally.since.toISOString()}`, ip }, () =>
        this.audit.record({
          action: 'auth.failed',
          outcome: 'denied',
          target: { type: 'source', id: null, name: ip },
          change: { count: tally.count, first_at: tally.since.toISOString(), last_at: tally.last.toISOString(), reasons: [...tally.reasons] },
        }),
      );
    } catch (err) {
      this.logger.error({ err, ip, count: tally.count }, 'could not audit failed authentications');
    }
  }
}

function tooMany(retryAfter: number): DomainError {
  return new DomainError('rate-limited', `too many failed authentications from this address; retry in ${retryAfter} s`, {
    headers: { 'retry-after': String(retryAfter) },
    extensions: { bucket: 'auth-failures' },
  });
}
