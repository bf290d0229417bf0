import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';
import { CryptoModule } from './common/crypto/crypto.module.js';
import { ProblemFilter } from './common/http/problem.filter.js';
import { createValidationPipe } from './common/http/validation.js';
import type { BerthConfig } from './config/config.js';
import { ConfigModule } from './config/config.module.js';
import { DatabaseModule } from './database/database.module.js';
import type { PrismaService } from './database/prisma.service.js';
import { AuditInterceptor } from './common/audit/audit.interceptor.js';
import { IdempotencyModule } from './modules/idempotency/idempotency.module.js';
import { AuthModule } from './modules/auth/auth.module.js';
import { MetricsModule } from './common/metrics/metrics.module.js';
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
        // Global guards run in module order: the rate limiter needs the actor AuthGuard resolves.
        RateLimitModule,
        IdempotencyModule,
        WorkQueueModule,
        WorkloadsModule,
        ...FEATURE_MODULES,
        GraphqlModule.forRoot(options.config),
      ],
      providers: [
        { provide: APP_PIPE, useFactory: createValidationPipe },
        { provide: APP_FILTER, useClass: ProblemFilter },
        { provide: APP_INTERCEPTOR, useExisting: AuditInterceptor },
      ],
    };
  }
}
