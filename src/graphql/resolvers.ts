import { AppsResolver } from '../modules/apps/apps.resolver.js';
import { TeamAppsResolver } from '../modules/apps/team-apps.resolver.js';
import { AuditResolver } from '../modules/audit/audit.resolver.js';
import { ConfigVarsResolver } from '../modules/config-vars/config-vars.resolver.js';
import { DomainsResolver } from '../modules/domains/domains.resolver.js';
import { EnvironmentsResolver } from '../modules/environments/environments.resolver.js';
import { FormationResolver } from '../modules/formation/formation.resolver.js';
import { QuotasResolver } from '../modules/quotas/quotas.resolver.js';
import { ReleasesResolver } from '../modules/releases/releases.resolver.js';
import { MembersResolver } from '../modules/teams/members.resolver.js';
import { TeamsResolver } from '../modules/teams/teams.resolver.js';
import { TokensResolver } from '../modules/tokens/tokens.resolver.js';
import { UsersResolver } from '../modules/users/users.resolver.js';
import { ClustersResolver } from '../modules/clusters/clusters.resolver.js';
import { OperationsResolver } from '../modules/operations/operations.resolver.js';
import { RegistryCredentialsResolver } from '../modules/registry-credentials/registry-credentials.resolver.js';
import { NodeResolver } from './nodes/node.resolver.js';
import { SubscriptionsResolver } from './subscriptions.resolver.js';

export const GRAPHQL_RESOLVERS = [
  UsersResolver,
  TokensResolver,
  TeamsResolver,
  MembersResolver,
  QuotasResolver,
  AppsResolver,
  TeamAppsResolver,
  EnvironmentsResolver,
  ConfigVarsResolver,
  FormationResolver,
  ReleasesResolver,
  DomainsResolver,
  AuditResolver,
  ClustersResolver,
  OperationsResolver,
  RegistryCredentialsResolver,
  NodeResolver,
  SubscriptionsResolver,
];
