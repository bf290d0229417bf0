// GraphQL at /graphql: resolvers delegate to the same services (and input classes) as REST.
import { Module, type DynamicModule } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { GraphQLModule } from '@nestjs/graphql';
import type { BerthConfig } from '../config/config.js';
import { MetricsService } from '../common/metrics/metrics.service.js';
import { AppsModule } from '../modules/apps/apps.module.js';
import { AuditModule } from '../modules/audit/audit.module.js';
import { AccessRevocation } from '../modules/auth/access-revocation.js';
import { AuthGuard } from '../modules/auth/auth.guard.js';
import { OperationGate } from './guardrails/operation-gate.js';
import { ConfigVarsModule } from '../modules/config-vars/config-vars.module.js';
import { DomainsModule } from '../modules/domains/domains.module.js';
import { EnvironmentsModule } from '../modules/environments/environments.module.js';
import { FormationModule } from '../modules/formation/formation.module.js';
import { IdempotencyModule } from '../modules/idempotency/idempotency.module.js';
import { QuotasModule } from '../modules/quotas/quotas.module.js';
import { ReleasesModule } from '../modules/releases/releases.module.js';
import { TeamsModule } from '../modules/teams/teams.module.js';
import { TokensModule } from '../modules/tokens/tokens.module.js';
import { UsersModule } from '../modules/users/users.module.js';
import { BatchLimit } from './batch-limit.js';
import { GraphqlAuditInterceptor } from './graphql-audit.interceptor.js';
import { apolloOptions } from './graphql.options.js';
import { GRAPHQL_LIMITS } from './graphql.tokens.js';
import { DEFAULT_LIMITS, type GraphqlLimits } from './guardrails/guardrails.js';
import { LoadersFactory } from './loaders/loaders.js';
import { NodeLocator } from './nodes/node-locator.js';
import { PgPubSub } from './pubsub/pg-pubsub.js';
import { GRAPHQL_RESOLVERS } from './resolvers.js';
import { ClustersModule } from '../modules/clusters/clusters.module.js';
import { OperationsModule } from '../modules/operations/operations.module.js';
import { RegistryCredentialsModule } from '../modules/registry-credentials/registry-credentials.module.js';

// Loaders and the node locator read through the features' repositories.
@Module({ imports: [EnvironmentsModule, ReleasesModule, DomainsModule], providers: [LoadersFactory, PgPubSub, NodeLocator, OperationGate], exports: [LoadersFactory, PgPubSub, NodeLocator, OperationGate] })
export class GraphqlSupportModule {}

@Module({})
export class GraphqlModule {
  static forRoot(config: Pick<BerthConfig, 'graphqlIntrospection' | 'trustProxy'>, limits: GraphqlLimits = DEFAULT_LIMITS): DynamicModule {
    return {
      module: GraphqlModule,
      imports: [
        GraphqlSupportModule,
        GraphQLModule.forRootAsync<ApolloDriverConfig>({
          driver: ApolloDriver,
          imports: [GraphqlSupportModule],
          inject: [LoadersFactory, AuthGuard, OperationGate, AccessRevocation, MetricsService],
          useFactory: (loaders: LoadersFactory, auth: AuthGuard, gate: OperationGate, revocation: AccessRevocation, metrics: MetricsService) =>
            apolloOptions({ introspection: config.graphqlIntrospection, limits, loaders, auth, gate, revocation, metrics, trustProxy: config.trustProxy }),
        }),
        IdempotencyModule,
        AuditModule,
        UsersModule,
        TokensModule,
        TeamsModule,
        QuotasModule,
        AppsModule,
        EnvironmentsModule,
        ConfigVarsModule,
        FormationModule,
        ReleasesModule,
        DomainsModule,
        ClustersModule,
        OperationsModule,
        RegistryCredentialsModule,
      ],
      providers: [...GRAPHQL_RESOLVERS, BatchLimit, { provide: GRAPHQL_LIMITS, useValue: limits }, { provide: APP_INTERCEPTOR, useClass: GraphqlAuditInterceptor }],
    };
  }
}
