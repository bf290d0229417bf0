// GraphQL for the platform side: clusters, restart, drift and sizes, over real HTTP.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { SandboxCluster } from '@berth/sandbox';
import { sql } from '../support/database.js';
import { newEnvironment, newMember, newTeam } from '../support/factories.js';
import { eventually, newSandbox } from '../support/sandbox.js';
import { expectStatus } from '../support/http.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { gql, gqlData, subscribe, wsClient } from './graphql-client.js';

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
    const data = await gqlData(app.url, app.adminToken, `mutation($input: RegisterClusterInput!) { registerCluster(input: $input) { cluster { name labels health { reachable } } } }`, {
      input: { name: 'gql', kubeconfig: sandbox.kubeconfig, labels: { region: 'eu' } },
    });
    expect(data.registerCluster.cluster).toEqual({ name: 'gql', labels: { region: 'eu' }, health: { reachable: true } });
    const listed = await gqlData(app.url, app.adminToken, '{ clusters(first: 10) { totalCount edges { node { name apiUrl cordoned environments(first: 5) { totalCount } } } } }');
    expect(JSON.stringify(listed)).not.toContain('current-context');
    // A cluster is a Node: its global id finds it again, for platform admins only (as REST's GET).
    const mine = (await gqlData<{ clusters: { edges: Array<{ node: { id: string; uuid: string; name: string } }> } }>(app.url, app.adminToken, '{ clusters(first: 10) { edges { node { id uuid name } } } }'))
      .clusters.edges.find((e) => e.node.name === 'gql')!.node;
    expect(mine.id).not.toBe(mine.uuid);
    const found = await gqlData<{ node: { __typename: string; name: string; uuid: string } }>(app.url, app.adminToken, 'query($id: ID!) { node(id: $id) { __typename ... on Cluster { name uuid } } }', { id: mine.id });
    expect(found.node).toEqual({ __typename: 'Cluster', name: 'gql', uuid: mine.uuid });
    const team = await newTeam(app);
    expect((await gql(app.url, team.owner.token, 'query($id: ID!) { node(id: $id) { id } }', { id: mine.id })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const refused = await gql(app.url, team.owner.token, `mutation($input: RegisterClusterInput!) { registerCluster(input: $input) { cluster { name } } }`, { input: { name: 'mine', kubeconfig: sandbox.kubeconfig } });
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const invalid = await gql(app.url, app.adminToken, `mutation($input: RegisterClusterInput!) { registerCluster(input: $input) { cluster { name } } }`, { input: { name: 'broken', kubeconfig: 'nope: [' } });
    expect(invalid.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION_FAILED', field: 'kubeconfig' });
  });

  it('links an environment to its cluster: public fields for the team, apiUrl, health and environments for platform admins only', async () => {
    const team = await newTeam(app);
    const appName = `placed-${Date.now()}`;
    expectStatus(await team.owner.client.post('/v1/apps', { name: appName, team: team.name }), 201);
    expectStatus(await team.owner.client.post(`/v1/apps/${appName}/environments`, { name: 'staging', cluster: 'gql' }), 201);
    const Q = `query($a: String!) { environment(app: $a, environment: "staging") { name cluster { name labels sandbox apiUrl health { reachable } environments(first: 50) { totalCount edges { node { name app { name } } } } } } }`;
    const member = await gql(app.url, team.owner.token, Q, { a: appName });
    expect(member.data?.environment).toEqual({ name: 'staging', cluster: { name: 'gql', labels: { region: 'eu' }, sandbox: false, apiUrl: null, health: null, environments: null } });
    expect((member.errors ?? []).map((e) => [e.path?.slice(-1)[0], e.extensions?.code]).sort()).toEqual([['apiUrl', 'FORBIDDEN'], ['environments', 'FORBIDDEN'], ['health', 'FORBIDDEN']]);
    const admin = await gqlData(app.url, app.adminToken, Q, { a: appName });
    expect(admin.environment.cluster).toMatchObject({ name: 'gql', apiUrl: expect.stringMatching(/^https?:\/\//), health: { reachable: true } });
    expect(admin.environment.cluster.environments.edges.map((e: { node: { app: { name: string } } }) => e.node.app.name)).toContain(appName);
    // Another team cannot reach the cluster through that environment at all.
    const outsider = await newTeam(app);
    expect((await gql(app.url, outsider.owner.token, Q, { a: appName })).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('streams an environment\'s log lines by subscription, and only to developers', async () => {
    const env = await newEnvironment(app, { name: 'gqllogs' });
    const owner = env.app.team.owner;
    await gqlData(app.url, owner.token, `mutation { createRelease(input: { app: "${env.app.name}", environment: "gqllogs", image: "example.com/app:1" }) { release { number } } }`);
    await eventually(async () => {
      const data = await gqlData<{ release: { status: { phase: string } } }>(app.url, owner.token, `{ release(app: "${env.app.name}", environment: "gqllogs", release: "1") { status { phase } } }`);
      return data.release.status.phase === 'SUCCEEDED' ? true : undefined;
    }, 'the release to run');
    // The live status is a typed object (#14): phase, processes and pods as the cluster reported them.
    type Live = { phase: string; verified: boolean; observedAt: string | null; processes: Array<{ type: string; ready: number }>; pods: Array<{ name: string; processType: string | null }> };
    const live = await eventually(async () => {
      const d = await gqlData<{ environment: { status: Live | null } }>(app.url, owner.token, `{ environment(app: "${env.app.name}", environment: "gqllogs") { status { phase verified observedAt processes { type ready } pods { name processType } } } }`);
      const s = d.environment.status;
      return s && s.phase === 'SUCCEEDED' && s.processes.some((p) => p.type === 'web' && p.ready >= 1) ? s : undefined;
    }, 'a live status with a ready web process');
    expect(live.pods.some((p) => p.processType === 'web')).toBe(true);
    expect(live.observedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    const query = 'subscription($a: String!, $e: String!) { logs(app: $a, environment: $e) { pod processType line } }';
    const client = wsClient(app.url, owner.token);
    try {
      const sub = subscribe<{ logs: { pod: string; processType: string; line: string } }>(client, query, { a: env.app.name, e: 'gqllogs' });
      await sub.waitFor(() => sub.values.length > 0, 20_000);
      expect(sub.values[0]!.logs).toMatchObject({ pod: expect.stringMatching(/^web-/), processType: 'web' });
      sub.dispose();
    } finally {
      await client.dispose();
    }
    const viewer = await newMember(app, env.app.team, 'viewer');
    const viewerClient = wsClient(app.url, viewer.token);
    try {
      const refused = subscribe(viewerClient, query, { a: env.app.name, e: 'gqllogs' });
      await refused.waitFor(() => refused.errors.length > 0, 10_000);
      expect(JSON.stringify(refused.errors)).toMatch(/FORBIDDEN/);
    } finally {
      await viewerClient.dispose();
    }
  });

  it('audits denials on GraphQL as on REST', async () => {
    const theirs = await newEnvironment(app, { name: 'private' });
    const outsider = await newTeam(app);
    const res = await gql(app.url, outsider.owner.token, `{ app(app: "${theirs.app.name}") { name } }`);
    expect(res.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const rows = await eventually(async () => {
      const found = await sql<{ change: { path: string; code: string } }>(app.databaseUrl, `SELECT change FROM audit_events WHERE action = 'access.denied' AND actor_id = $1`, [outsider.owner.id]);
      return found.length ? found : undefined;
    }, 'the denial to be audited');
    expect(rows[0]!.change).toMatchObject({ path: '/graphql', code: 'not-found' });
  });

  it('restarts an environment (audited once) and lists sizes and drift', async () => {
    const env = await newEnvironment(app, { name: 'gqlrestart' });
    const data = await gqlData(app.url, env.app.team.owner.token, `mutation { restartEnvironment(input: { app: "${env.app.name}", environment: "gqlrestart" }) { environment { name } } }`);
    expect(data.restartEnvironment).toEqual({ environment: { name: 'gqlrestart' } });
    const events = await sql(app.databaseUrl, `SELECT 1 FROM audit_events WHERE action = 'environment.restart' AND environment_id = $1`, [env.id]);
    expect(events).toHaveLength(1);
    const sizes = await gqlData(app.url, env.app.team.owner.token, '{ sizes { name cpuRequest } }');
    expect((sizes.sizes as Array<{ name: string }>).map((s) => s.name)).toEqual(['small', 'medium', 'large', 'xlarge']);
    const drift = await gqlData(app.url, env.app.team.owner.token, `{ drift(app: "${env.app.name}", environment: "gqlrestart") { object } }`);
    expect(drift.drift).toEqual([]);
  });
});
