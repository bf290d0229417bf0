import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { CryptoModule } from './common/crypto/crypto.module.js';
import { ProblemFilter } from './common/http/problem.filter.js';
import { createValidationPipe } from './common/http/validation.js';
import type { BerthConfig } from './config/config.js';
import { ConfigModule } from './config/config.module.js';
import { DatabaseModule } from './database/database.module.js';
import type { PrismaService } from './database/prisma.service.js';
import { IdempotencyModule } from './modules/idempotency/idempotency.module.js';
import { AuthGuard } from './modules/auth/auth.guard.js';
import { AuthModule } from './modules/auth/auth.module.js';
import { MetricsModule } from './common/metrics/metrics.module.js';
import { RateLimitGuard } from './common/rate-limit/rate-limit.guard.js';
import { RateLimitModule } from './common/rate-limit/rate-limit.module.js';
import { LifecycleModule } from './lifecycle/drainers.js';
import { WorkQueueModule } from './modules/work-queue/work-queue.module.js';
import { WorkloadsModule } from './modules/workloads/workloads.module.js';
import { GraphqlModule } from './graphql/graphql.module.js';
import { FEATURE_MODULES } from './modules/feature-modules.js';

export interface AppModuleOptions {
  config: BerthConfig;
  prisma: PrismaService;
  databaseUrl: string;
  encryptionKeys: string[];
}

@Module({})
export class AppModule {
  static register(options: AppModuleOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forConfig(options.config),
        DatabaseModule.forPrisma(options.prisma, options.databaseUrl),
        CryptoModule.forKeys(options.encryptionKeys),
        MetricsModule,
        LifecycleModule,
        AuthModule,
        RateLimitModule,
        IdempotencyModule,
        WorkQueueModule,
        WorkloadsModule,
        ...FEATURE_MODULES,
        GraphqlModule.forRoot(options.config),
      ],
      providers: [
        // Global guards run in the order given: the rate limiter needs the actor AuthGuard resolves.
        { provide: APP_GUARD, useExisting: AuthGuard },
        { provide: APP_GUARD, useExisting: RateLimitGuard },
        { provide: APP_PIPE, useFactory: createValidationPipe },
        { provide: APP_FILTER, useClass: ProblemFilter },
        // No global interceptor: `@Audited` applies the audit interceptor to its own routes, so every
        // other route (reads) runs without Nest's rxjs pipeline (docs/performance.md, Profiles).
      ],
    };
  }
}
