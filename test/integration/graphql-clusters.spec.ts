// GraphQL for the platform side: clusters, restart, drift and sizes, over real HTTP.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { SandboxCluster } from '../../src/sandbox/index.js';
import { sql } from '../support/database.js';
import { newEnvironment, newTeam } from '../support/factories.js';
import { newSandbox } from '../support/sandbox.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { gql, gqlData } from './graphql-client.js';

describe('GraphQL: clusters and operations', () => {
  let app: TestApp;
  let sandbox: SandboxCluster;
  beforeAll(async () => {
    sandbox = await newSandbox('gql');
    app = await createTestApp({ env: { BERTH_RESYNC_INTERVAL_MS: '3600000' } });
  });
  afterAll(async () => {
    await app.close();
    await sandbox.stop();
  });

  it('registers a cluster with the same input as REST, never shows its credentials, and refuses non-admins', async () => {
    const data = await gqlData(app.url, app.adminToken, `mutation($input: RegisterClusterInput!) { registerCluster(input: $input) { name labels health { reachable } } }`, {
      input: { name: 'gql', kubeconfig: sandbox.kubeconfig, labels: { region: 'eu' } },
    });
    expect(data.registerCluster).toEqual({ name: 'gql', labels: { region: 'eu' }, health: { reachable: true } });
    const listed = await gqlData(app.url, app.adminToken, '{ clusters(first: 10) { edges { node { name api_url cordoned environments } } } }');
    expect(JSON.stringify(listed)).not.toContain('current-context');
    const team = await newTeam(app);
    const refused = await gql(app.url, team.owner.token, `mutation($input: RegisterClusterInput!) { registerCluster(input: $input) { name } }`, { input: { name: 'mine', kubeconfig: sandbox.kubeconfig } });
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const invalid = await gql(app.url, app.adminToken, `mutation($input: RegisterClusterInput!) { registerCluster(input: $input) { name } }`, { input: { name: 'broken', kubeconfig: 'nope: [' } });
    expect(invalid.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION_FAILED', field: 'kubeconfig' });
  });

  it('restarts an environment (audited once) and lists sizes and drift', async () => {
    const env = await newEnvironment(app, { name: 'gqlrestart' });
    const data = await gqlData(app.url, env.app.team.owner.token, `mutation { restartEnvironment(app: "${env.app.name}", environment: "gqlrestart") { name } }`);
    expect(data.restartEnvironment).toEqual({ name: 'gqlrestart' });
    const events = await sql(app.databaseUrl, `SELECT 1 FROM audit_events WHERE action = 'environment.restart' AND environment_id = $1`, [env.id]);
    expect(events).toHaveLength(1);
    const sizes = await gqlData(app.url, env.app.team.owner.token, '{ sizes { name cpu_request } }');
    expect((sizes.sizes as Array<{ name: string }>).map((s) => s.name)).toEqual(['small', 'medium', 'large', 'xlarge']);
    const drift = await gqlData(app.url, env.app.team.owner.token, `{ drift(app: "${env.app.name}", environment: "gqlrestart") { object } }`);
    expect(drift.drift).toEqual([]);
  });
});
