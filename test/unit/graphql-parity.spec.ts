// Parity between the two transports: every operation of the REST route table (docs/openapi.json,
// which openapi.spec keeps equal to the served /openapi.json) names its GraphQL counterpart below, and
// that root field exists in docs/schema.graphql (which graphql.spec keeps equal to the served schema);
// or it is a documented exception with its reason. A new route without either fails here.
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { buildSchema } from 'graphql';

const schema = buildSchema(readFileSync(new URL('../../docs/schema.graphql', import.meta.url), 'utf8'));
const openapi = JSON.parse(readFileSync(new URL('../../docs/openapi.json', import.meta.url), 'utf8')) as { paths: Record<string, Record<string, unknown>> };

/** REST operation → its GraphQL root field, as `Query.x`, `Mutation.x` or `Subscription.x`. */
const COUNTERPARTS: Record<string, string> = {
  'POST /v1/users': 'Mutation.createUser',
  'GET /v1/users': 'Query.users',
  'GET /v1/users/me': 'Query.me',
  'POST /v1/tokens': 'Mutation.createToken',
  'GET /v1/tokens': 'Query.tokens',
  'GET /v1/tokens/{token}': 'Query.token',
  'DELETE /v1/tokens/{token}': 'Mutation.revokeToken',
  'POST /v1/teams': 'Mutation.createTeam',
  'GET /v1/teams': 'Query.teams',
  'GET /v1/teams/{team}': 'Query.team',
  'PATCH /v1/teams/{team}': 'Mutation.updateTeam',
  'DELETE /v1/teams/{team}': 'Mutation.deleteTeam',
  'GET /v1/teams/{team}/members': 'Query.members',
  'POST /v1/teams/{team}/members': 'Mutation.addMember',
  'PATCH /v1/teams/{team}/members/{user}': 'Mutation.updateMember',
  'DELETE /v1/teams/{team}/members/{user}': 'Mutation.removeMember',
  'GET /v1/teams/{team}/invitations': 'Query.invitations',
  'DELETE /v1/teams/{team}/invitations/{invitation}': 'Mutation.revokeInvitation',
  'GET /v1/invitations': 'Query.myInvitations',
  'POST /v1/invitations/{invitation}/accept': 'Mutation.acceptInvitation',
  'DELETE /v1/invitations/{invitation}': 'Mutation.declineInvitation',
  'GET /v1/teams/{team}/quota': 'Query.quota',
  'PUT /v1/teams/{team}/quota': 'Mutation.updateQuota',
  'POST /v1/teams/{team}/quota/recompute': 'Mutation.recomputeQuota',
  'POST /v1/teams/{team}/registry-credentials': 'Mutation.putRegistryCredential',
  'GET /v1/teams/{team}/registry-credentials': 'Query.registryCredentials',
  'PUT /v1/teams/{team}/registry-credentials/{registry}': 'Mutation.putRegistryCredential',
  'DELETE /v1/teams/{team}/registry-credentials/{registry}': 'Mutation.deleteRegistryCredential',
  'GET /v1/sizes': 'Query.sizes',
  'POST /v1/apps': 'Mutation.createApp',
  'GET /v1/apps': 'Query.apps',
  'GET /v1/apps/{app}': 'Query.app',
  'PATCH /v1/apps/{app}': 'Mutation.updateApp',
  'DELETE /v1/apps/{app}': 'Mutation.deleteApp',
  'POST /v1/apps/{app}/environments': 'Mutation.createEnvironment',
  'GET /v1/apps/{app}/environments': 'Query.environments',
  'GET /v1/apps/{app}/environments/{env}': 'Query.environment',
  'PATCH /v1/apps/{app}/environments/{env}': 'Mutation.updateEnvironment',
  'DELETE /v1/apps/{app}/environments/{env}': 'Mutation.deleteEnvironment',
  'GET /v1/apps/{app}/environments/{env}/config-vars': 'Query.configVars',
  'PATCH /v1/apps/{app}/environments/{env}/config-vars': 'Mutation.updateConfigVars',
  'GET /v1/apps/{app}/environments/{env}/formation': 'Query.formation',
  'PATCH /v1/apps/{app}/environments/{env}/formation': 'Mutation.updateFormation',
  'DELETE /v1/apps/{app}/environments/{env}/formation/{type}': 'Mutation.deleteProcessType',
  'POST /v1/apps/{app}/environments/{env}/releases': 'Mutation.createRelease',
  'GET /v1/apps/{app}/environments/{env}/releases': 'Query.releases',
  'GET /v1/apps/{app}/environments/{env}/releases/{release}': 'Query.release',
  // A server-sent event stream over REST; a subscription over GraphQL.
  'GET /v1/apps/{app}/environments/{env}/releases/{release}/events': 'Subscription.releaseStatus',
  'GET /v1/apps/{app}/environments/{env}/logs': 'Subscription.logs',
  'GET /v1/apps/{app}/environments/{env}/domains': 'Query.domains',
  'POST /v1/apps/{app}/environments/{env}/domains': 'Mutation.createDomain',
  'GET /v1/apps/{app}/environments/{env}/domains/{hostname}': 'Query.domain',
  'DELETE /v1/apps/{app}/environments/{env}/domains/{hostname}': 'Mutation.deleteDomain',
  'POST /v1/apps/{app}/environments/{env}/restart': 'Mutation.restartEnvironment',
  'GET /v1/apps/{app}/environments/{env}/drift': 'Query.drift',
  'POST /v1/clusters': 'Mutation.registerCluster',
  'GET /v1/clusters': 'Query.clusters',
  'GET /v1/clusters/{cluster}': 'Query.cluster',
  'PATCH /v1/clusters/{cluster}': 'Mutation.updateCluster',
  'DELETE /v1/clusters/{cluster}': 'Mutation.deleteCluster',
  'POST /v1/clusters/{cluster}/cordon': 'Mutation.cordonCluster',
  'POST /v1/clusters/{cluster}/uncordon': 'Mutation.uncordonCluster',
  'POST /v1/clusters/{cluster}/probe': 'Mutation.probeCluster',
  'POST /v1/clusters/{cluster}/drain': 'Mutation.drainCluster',
  'GET /v1/audit-events': 'Query.auditEvents',
  'GET /v1/audit-events/verify': 'Query.auditVerify',
  'GET /v1/audit-events/head': 'Query.auditHead',
};

/** REST operations without a GraphQL counterpart, and why. */
export const EXCEPTIONS: Record<string, string> = {
  'GET /healthz': 'liveness probe for orchestrators, not part of the API',
  'GET /readyz': 'readiness probe for orchestrators, not part of the API',
  'GET /metrics': 'Prometheus scrape endpoint in its text format',
  'GET /v1/audit-events/export': 'an NDJSON stream of the whole log for offline verification; GraphQL pages it with Query.auditEvents',
};

const operations = Object.entries(openapi.paths).flatMap(([path, ops]) => Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`));

describe('REST and GraphQL parity', () => {
  it('names a GraphQL counterpart or a documented exception for every REST operation', () => {
    expect(operations.filter((op) => !COUNTERPARTS[op] && !EXCEPTIONS[op])).toEqual([]);
  });

  it('lists no operation the route table does not have', () => {
    expect([...Object.keys(COUNTERPARTS), ...Object.keys(EXCEPTIONS)].filter((op) => !operations.includes(op))).toEqual([]);
  });

  it('finds every named counterpart in the schema', () => {
    const missing = Object.entries(COUNTERPARTS).filter(([, field]) => {
      const [root, name] = field.split('.') as ['Query' | 'Mutation' | 'Subscription', string];
      const type = root === 'Query' ? schema.getQueryType() : root === 'Mutation' ? schema.getMutationType() : schema.getSubscriptionType();
      return !type?.getFields()[name];
    });
    expect(missing).toEqual([]);
  });
});
