import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';
import { CryptoModule } from './common/crypto/crypto.module.js';
import { ProblemFilter } from './common/http/problem.filter.js';
import { RequestContextInterceptor } from './common/http/request-context.interceptor.js';
import { createValidationPipe } from './common/http/validation.js';
import type { BerthConfig } from './config/config.js';
import { ConfigModule } from './config/config.module.js';
import { DatabaseModule } from './database/database.module.js';
import type { PrismaService } from './database/prisma.service.js';
import { AppsModule } from './modules/apps/apps.module.js';
import { AuditInterceptor } from './common/audit/audit.interceptor.js';
import { AuditModule } from './modules/audit/audit.module.js';
import { IdempotencyModule } from './modules/idempotency/idempotency.module.js';
import { ConfigVarsModule } from './modules/config-vars/config-vars.module.js';
import { DomainsModule } from './modules/domains/domains.module.js';
import { EnvironmentsModule } from './modules/environments/environments.module.js';
import { FormationModule } from './modules/formation/formation.module.js';
import { ReleasesModule } from './modules/releases/releases.module.js';
import { AuthModule } from './modules/auth/auth.module.js';
import { MetricsModule } from './common/metrics/metrics.module.js';
import { RateLimitModule } from './common/rate-limit/rate-limit.module.js';
import { LifecycleModule } from './lifecycle/drainers.js';
import { HealthModule } from './modules/health/health.module.js';
import { QuotasModule } from './modules/quotas/quotas.module.js';
import { WorkQueueModule } from './modules/work-queue/work-queue.module.js';
import { WorkloadsModule } from './modules/workloads/workloads.module.js';
import { OperationsModule } from './modules/operations/operations.module.js';
import { ClustersModule } from './modules/clusters/clusters.module.js';
import { KeyRotationModule } from './modules/key-rotation/key-rotation.module.js';
import { SizesModule } from './modules/sizes/sizes.module.js';
import { TeamsModule } from './modules/teams/teams.module.js';
import { TokensModule } from './modules/tokens/tokens.module.js';
import { UsersModule } from './modules/users/users.module.js';
import { GraphqlModule } from './graphql/graphql.module.js';

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
        OperationsModule,
        ClustersModule,
        KeyRotationModule,
        AuditModule,
        HealthModule,
        UsersModule,
        TokensModule,
        TeamsModule,
        SizesModule,
        AppsModule,
        EnvironmentsModule,
        ConfigVarsModule,
        FormationModule,
        ReleasesModule,
        DomainsModule,
        QuotasModule,
        GraphqlModule.forRoot(options.config),
      ],
      providers: [
        { provide: APP_PIPE, useFactory: createValidationPipe },
        { provide: APP_FILTER, useClass: ProblemFilter },
        { provide: APP_INTERCEPTOR, useClass: RequestContextInterceptor },
        { provide: APP_INTERCEPTOR, useExisting: AuditInterceptor },
      ],
    };
  }
}
