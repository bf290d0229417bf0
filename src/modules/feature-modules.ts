// The ONE list of Berth's feature modules. The root module imports it (REST controllers), and so
// does the GraphQL module (its resolvers reach the same services). A new feature goes here once.
// The order is the order routes are registered in (and listed in the OpenAPI document).
import { AppsModule } from './apps/apps.module.js';
import { AuditModule } from './audit/audit.module.js';
import { ClusterLeasesModule } from './cluster-leases/cluster-leases.module.js';
import { ClustersModule } from './clusters/clusters.module.js';
import { ConfigVarsModule } from './config-vars/config-vars.module.js';
import { DomainsModule } from './domains/domains.module.js';
import { EnvironmentsModule } from './environments/environments.module.js';
import { FormationModule } from './formation/formation.module.js';
import { HealthModule } from './health/health.module.js';
import { KeyRotationModule } from './key-rotation/key-rotation.module.js';
import { OperationsModule } from './operations/operations.module.js';
import { QuotasModule } from './quotas/quotas.module.js';
import { RegistryCredentialsModule } from './registry-credentials/registry-credentials.module.js';
import { ReleasesModule } from './releases/releases.module.js';
import { SizesModule } from './sizes/sizes.module.js';
import { TeamsModule } from './teams/teams.module.js';
import { TokensModule } from './tokens/tokens.module.js';
import { UsersModule } from './users/users.module.js';

export const FEATURE_MODULES = [
  OperationsModule,
  ClustersModule,
  ClusterLeasesModule,
  RegistryCredentialsModule,
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
];
