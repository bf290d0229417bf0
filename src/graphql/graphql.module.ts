// GraphQL at /graphql: resolvers delegate to the same services (and input classes) as REST.
import { Module, type DynamicModule } from '@nestjs/common';
import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { GraphQLModule } from '@nestjs/graphql';
import type { BerthConfig } from '../config/config.js';
import { MetricsService } from '../common/metrics/metrics.service.js';
import { AccessRevocation } from '../modules/auth/access-revocation.js';
import { AuthGuard } from '../modules/auth/auth.guard.js';
import { AuthModule } from '../modules/auth/auth.module.js';
import { RateLimitModule } from '../common/rate-limit/rate-limit.module.js';
import { OperationGate } from './guardrails/operation-gate.js';
import { AppsModule } from '../modules/apps/apps.module.js';
import { KubeModule } from '../modules/clusters/kube/kube.module.js';
import { DomainsModule } from '../modules/domains/domains.module.js';
import { RegistryCredentialsModule } from '../modules/registry-credentials/registry-credentials.module.js';
import { TeamsModule } from '../modules/teams/teams.module.js';
import { UsersModule } from '../modules/users/users.module.js';
import { EnvironmentsModule } from '../modules/environments/environments.module.js';
import { FEATURE_MODULES } from '../modules/feature-modules.js';
import { IdempotencyModule } from '../modules/idempotency/idempotency.module.js';
import { BatchLimit } from './batch-limit.js';
import { apolloOptions } from './graphql.options.js';
import { GRAPHQL_LIMITS } from './graphql.tokens.js';
import { DEFAULT_LIMITS, type GraphqlLimits } from './guardrails/guardrails.js';
import { LoadersFactory } from './loaders/loaders.js';
import { NodeLocator } from './nodes/node-locator.js';
import { PgPubSub } from './pubsub/pg-pubsub.js';
import { ReleasesModule } from '../modules/releases/releases.module.js';
import { GRAPHQL_RESOLVERS } from './resolvers.js';

// Loaders and the node locator read through the features' repositories; the operation gate
// authenticates and rate-limits an operation once.
@Module({
  imports: [TeamsModule, UsersModule, AppsModule, EnvironmentsModule, ReleasesModule, DomainsModule, KubeModule, RegistryCredentialsModule, AuthModule, RateLimitModule],
  providers: [LoadersFactory, PgPubSub, NodeLocator, OperationGate],
  exports: [LoadersFactory, PgPubSub, NodeLocator, OperationGate],
})
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
          imports: [GraphqlSupportModule, AuthModule],
          inject: [LoadersFactory, AuthGuard, OperationGate, AccessRevocation, MetricsService],
          useFactory: (loaders: LoadersFactory, auth: AuthGuard, gate: OperationGate, revocation: AccessRevocation, metrics: MetricsService) =>
            apolloOptions({ introspection: config.graphqlIntrospection, limits, loaders, auth, gate, revocation, metrics, trustProxy: config.trustProxy }),
        }),
        IdempotencyModule,
        ...FEATURE_MODULES,
      ],
      providers: [...GRAPHQL_RESOLVERS, BatchLimit, { provide: GRAPHQL_LIMITS, useValue: limits }],
    };
  }
}
