import { Module, type OnApplicationShutdown, type OnModuleInit, Inject, Injectable, Logger } from '@nestjs/common';
import { BERTH_CONFIG, type BerthConfig } from '../../config/config.js';
import { RateLimitGuard } from './rate-limit.guard.js';
import { RateLimiter, policiesFrom } from './rate-limiter.js';
import { RateLimitStore } from './rate-limit.store.js';
import { fullRefillSeconds } from './token-bucket.js';

const SWEEP_INTERVAL_MS = 10 * 60 * 1000;

/** Deletes buckets that have refilled completely; every replica sweeps, deleting is idempotent. */
@Injectable()
export class RateLimitSweeper implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('RateLimitSweeper');
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: RateLimitStore,
    @Inject(BERTH_CONFIG) private readonly config: BerthConfig,
  ) {}

  onModuleInit(): void {
    if (!this.config.rateLimit.enabled) return;
    const idle = Math.max(...Object.values(policiesFrom(this.config.rateLimit)).map(fullRefillSeconds));
    this.timer = setInterval(() => {
      this.store.sweep(idle).catch((err: unknown) => this.logger.warn({ err }, 'could not sweep rate-limit buckets'));
    }, SWEEP_INTERVAL_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }
}

/** The guard is registered globally by the root module, after AuthGuard: the limiter needs the actor. */
@Module({ providers: [RateLimitStore, RateLimiter, RateLimitSweeper, RateLimitGuard], exports: [RateLimiter, RateLimitGuard] })
export class RateLimitModule {}
