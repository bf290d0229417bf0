// The cluster registry, placement, drain, and registry credentials, against real sandbox clusters.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { SandboxCluster } from '@berth/sandbox';
import { startSandboxCluster } from '@berth/sandbox';
import { sql } from '../../support/database.js';
import { newApp, newMember, newTeam } from '../../support/factories.js';
import { expectStatus } from '../../support/http.js';
import { eventually, kubectl, newSandbox } from '../../support/sandbox.js';
import { createTestApp, type TestApp } from '../../support/test-app.js';

interface Cluster {
  id: string;
  name: string;
  cordoned: boolean;
  environments: number;
  health: { reachable: boolean; server_version: string | null; last_error: string | null };
}

describe('cluster registry', () => {
  let app: TestApp;
  let one: SandboxCluster;
  let two: SandboxCluster;
  let guarded: SandboxCluster;

  beforeAll(async () => {
    one = await newSandbox('one');
    two = await newSandbox('two');
    guarded = await startSandboxCluster({ name: 'guarded', token: 'sandbox-secret-token-123', rolloutDelayMs: 20, timeFactor: 0.002 });
    app = await createTestApp({ env: { BERTH_RESYNC_INTERVAL_MS: '3600000', BERTH_CLUSTER_PROBE_INTERVAL_MS: '3600000' } });
  });
  afterAll(async () => {
    await app.close();
    await Promise.all([one.stop(), two.stop(), guarded.stop()]);
  });

  it('registers from a kubeconfig and from server + token, probes them, and never returns credentials', async () => {
    const fromKubeconfig = expectStatus(await app.admin.post<Cluster>('/v1/clusters', { name: 'one', kubeconfig: one.kubeconfig, labels: { region: 'eu' } }), 201).body;
    expect(fromKubeconfig.health).toMatchObject({ reachable: true, last_error: null });
    expect(fromKubeconfig.health.server_version).toMatch(/^v1\./);
    const withToken = expectStatus(await app.admin.post<Cluster>('/v1/clusters', { name: 'guarded', server: guarded.url, token: 'sandbox-secret-token-123', insecure_skip_tls_verify: true }), 201).body;
    expect(withToken.health.reachable).toBe(true);
    const wrong = expectStatus(await app.admin.post<Cluster>('/v1/clusters', { name: 'wrong-token', server: guarded.url, token: 'not-the-token', insecure_skip_tls_verify: true }), 201).body;
    expect(wrong.health.reachable).toBe(false);
    expect(wrong.health.last_error).toMatch(/401/);
    const everything = JSON.stringify([(await app.admin.get('/v1/clusters')).body, (await app.admin.get('/v1/clusters/guarded')).body]);
    expect(everything).not.toContain('sandbox-secret-token-123');
    expect(everything).not.toContain('current-context');
    const rows = JSON.stringify(await sql(app.databaseUrl, 'SELECT * FROM clusters'));
    expect(rows).not.toContain('sandbox-secret-token-123');
    const audit = JSON.stringify(await sql(app.databaseUrl, `SELECT change FROM audit_events WHERE action = 'cluster.register'`));
    expect(audit).not.toContain('sandbox-secret-token-123');
  });

  it('refuses unusable or ambiguous credentials with a problem naming the field', async () => {
    const bad = await app.admin.post('/v1/clusters', { name: 'bad', kubeconfig: 'this: [is not a kubeconfig' });
    expect(bad.status).toBe(422);
    expect(bad.body).toMatchObject({ field: 'kubeconfig' });
    const both = await app.admin.post('/v1/clusters', { name: 'both', kubeconfig: one.kubeconfig, server: one.url, token: 'x' });
    expect(both.body).toMatchObject({ status: 422, field: 'kubeconfig' });
    const none = await app.admin.post('/v1/clusters', { name: 'none' });
    expect(none.body).toMatchObject({ status: 422, field: 'server' });
    const team = await newTeam(app);
    expect((await team.owner.client.post('/v1/clusters', { name: 'mine', kubeconfig: one.kubeconfig })).status).toBe(403);
  });

  it('reports a cluster that goes down, and again when it returns', async () => {
    expectStatus(await app.admin.post('/v1/clusters', { name: 'two', kubeconfig: two.kubeconfig, labels: { region: 'us' } }), 201);
    await two.faults.down();
    try {
      expect(expectStatus(await app.admin.post<Cluster>('/v1/clusters/two/probe'), 200).body.health.reachable).toBe(false);
    } finally {
      await two.faults.up();
    }
    expect(expectStatus(await app.admin.post<Cluster>('/v1/clusters/two/probe'), 200).body.health.reachable).toBe(true);
  });

  it('places nothing new on a cordoned cluster, and refuses to forget a cluster that runs environments', async () => {
    const team = await newTeam(app);
    const parent = await newApp(app, { team });
    expectStatus(await app.admin.post('/v1/clusters/one/cordon'), 200);
    try {
      const refused = await team.owner.client.post(`/v1/apps/${parent.name}/environments`, { name: 'pinned', cluster: 'one' });
      expect(refused.body).toMatchObject({ status: 422, field: 'cluster' });
    } finally {
      expectStatus(await app.admin.post('/v1/clusters/one/uncordon'), 200);
    }
    expectStatus(await team.owner.client.post(`/v1/apps/${parent.name}/environments`, { name: 'pinned', cluster: 'one' }), 201);
    const res = await app.admin.delete('/v1/clusters/one');
    expect(res.status).toBe(409);
  });

  it('drains a cluster: its environments move to another, and their namespaces leave it', async () => {
    const team = await newTeam(app);
    const parent = await newApp(app, { team });
    const path = `/v1/apps/${parent.name}/environments/mover`;
    expectStatus(await team.owner.client.post(`/v1/apps/${parent.name}/environments`, { name: 'mover', cluster: 'two' }), 201);
    expectStatus(await team.owner.client.post(`${path}/releases`, { image: 'example.com/app:1' }), 201);
    const namespace = `${parent.name}-mover`;
    await eventually(async () => ((await kubectl(two, ['get', 'deployments', '-n', namespace, '-o', 'name'])).includes('web') ? true : undefined), 'deployed on two');
    // Only "one" may take it: the others are cordoned.
    expectStatus(await app.admin.post('/v1/clusters/guarded/cordon'), 200);
    expectStatus(await app.admin.post('/v1/clusters/wrong-token/cordon'), 200);
    const drained = expectStatus(await app.admin.post<{ moved: number; cluster: Cluster }>('/v1/clusters/two/drain'), 200).body;
    expect(drained.moved).toBeGreaterThanOrEqual(1);
    expect(drained.cluster.cordoned).toBe(true);
    const moved = expectStatus(await team.owner.client.get<{ cluster: { name: string } }>(path), 200).body;
    expect(moved.cluster.name).toBe('one');
    const target = one;
    await eventually(async () => ((await kubectl(target, ['get', 'deployments', '-n', namespace, '-o', 'name'])).includes('web') ? true : undefined), 'deployed on the new cluster');
    await eventually(async () => ((await kubectl(two, ['get', 'namespaces', '-o', 'name'])).includes(`namespace/${namespace}`) ? undefined : true), 'old namespace removed');
    expectStatus(await app.admin.post('/v1/clusters/two/uncordon'), 200);
  });
});

describe('registry credentials', () => {
  let app: TestApp;
  let cluster: SandboxCluster;
  beforeAll(async () => {
    cluster = await newSandbox('registry');
    app = await createTestApp({ env: { BERTH_RESYNC_INTERVAL_MS: '3600000' } });
    expectStatus(await app.admin.post('/v1/clusters', { name: 'registry', kubeconfig: cluster.kubeconfig }), 201);
  });
  afterAll(async () => {
    await app.close();
    await cluster.stop();
  });

  it('stores logins write-only and turns them into an image pull Secret for images from that registry', async () => {
    const team = await newTeam(app);
    const put = expectStatus(await team.owner.client.post<Record<string, unknown>>(`/v1/teams/${team.name}/registry-credentials`, { registry: 'registry.example.com', username: 'ci', password: 'hunter2-secret' }), 201).body;
    expect(put).toMatchObject({ registry: 'registry.example.com', username: 'ci' });
    expect(JSON.stringify(put)).not.toContain('hunter2-secret');
    expect(JSON.stringify((await team.owner.client.get(`/v1/teams/${team.name}/registry-credentials`)).body)).not.toContain('hunter2-secret');
    expect(JSON.stringify(await sql(app.databaseUrl, 'SELECT * FROM registry_credentials'))).not.toContain('hunter2-secret');
    expect(JSON.stringify(await sql(app.databaseUrl, 'SELECT change FROM audit_events'))).not.toContain('hunter2-secret');
    const dev = await newMember(app, team, 'developer');
    expect((await dev.client.post(`/v1/teams/${team.name}/registry-credentials`, { registry: 'x.io', username: 'a', password: 'b' })).status).toBe(403);
    expect((await team.owner.client.post(`/v1/teams/${team.name}/registry-credentials`, { registry: 'Not A Host', username: 'a', password: 'b' })).body).toMatchObject({ field: 'registry' });

    const parent = await newApp(app, { team });
    const path = `/v1/apps/${parent.name}/environments/private`;
    expectStatus(await team.owner.client.post(`/v1/apps/${parent.name}/environments`, { name: 'private' }), 201);
    expectStatus(await team.owner.client.post(`${path}/releases`, { image: 'registry.example.com/team/app:1' }), 201);
    const namespace = `${parent.name}-private`;
    const secret = await eventually(async () => {
      try {
        return JSON.parse(await kubectl(cluster, ['get', 'secret', 'registry-credentials', '-n', namespace, '-o', 'json'])) as { type: string; data: Record<string, string> };
      } catch {
        return undefined;
      }
    }, 'pull secret');
    expect(secret.type).toBe('kubernetes.io/dockerconfigjson');
    const config = JSON.parse(Buffer.from(secret.data['.dockerconfigjson']!, 'base64').toString()) as { auths: Record<string, { username: string; password: string }> };
    expect(config.auths['registry.example.com']).toMatchObject({ username: 'ci', password: 'hunter2-secret' });
    const deployment = JSON.parse(await kubectl(cluster, ['get', 'deployment', 'web', '-n', namespace, '-o', 'json'])) as { spec: { template: { spec: { imagePullSecrets?: Array<{ name: string }> } } } };
    expect(deployment.spec.template.spec.imagePullSecrets).toEqual([{ name: 'registry-credentials' }]);
    expectStatus(await team.owner.client.delete(`/v1/teams/${team.name}/registry-credentials/registry.example.com`), 204);
  });

  // Resyncs compare the cluster with what Berth applied; they do not re-render (and this app's
  // resync timer is an hour). What every environment of a team or cluster renders from must
  // therefore reach the cluster by itself, without a new release.
  it('carries a changed login, quota limit and ingress class to running environments without a release', async () => {
    const team = await newTeam(app);
    expectStatus(await team.owner.client.put(`/v1/teams/${team.name}/registry-credentials/registry.example.com`, { username: 'ci', password: 'first-password' }), 201);
    const parent = await newApp(app, { team });
    expectStatus(await team.owner.client.post(`/v1/apps/${parent.name}/environments`, { name: 'live' }), 201);
    expectStatus(await team.owner.client.post(`/v1/apps/${parent.name}/environments/live/releases`, { image: 'registry.example.com/team/app:1' }), 201);
    const namespace = `${parent.name}-live`;
    const get = async <T>(args: string[]): Promise<T | undefined> => {
      try {
        return JSON.parse(await kubectl(cluster, [...args, '-n', namespace, '-o', 'json'])) as T;
      } catch {
        return undefined;
      }
    };
    const password = async () => {
      const secret = await get<{ data: Record<string, string> }>(['get', 'secret', 'registry-credentials']);
      if (!secret) return undefined;
      return (JSON.parse(Buffer.from(secret.data['.dockerconfigjson']!, 'base64').toString()) as { auths: Record<string, { password: string }> }).auths['registry.example.com']?.password;
    };
    await eventually(async () => ((await password()) === 'first-password' ? true : undefined), 'the first pull secret');

    expectStatus(await team.owner.client.put(`/v1/teams/${team.name}/registry-credentials/registry.example.com`, { username: 'ci', password: 'second-password' }), 200);
    await eventually(async () => ((await password()) === 'second-password' ? true : undefined), 'the replaced login in the pull secret');

    expectStatus(await app.admin.put(`/v1/teams/${team.name}/quota`, { cpu_millis: 3210 }), 200);
    await eventually(async () => {
      const quota = await get<{ spec: { hard: Record<string, string> } }>(['get', 'resourcequota', 'berth-quota']);
      return quota?.spec.hard['requests.cpu'] === '3210m' ? true : undefined;
    }, 'the new quota limit in the ResourceQuota');

    expectStatus(await team.owner.client.post(`/v1/apps/${parent.name}/environments/live/domains`, { hostname: `${parent.name}.example.com` }), 201);
    const ingressClasses = async () => (await get<{ items: Array<{ spec: { ingressClassName?: string } }> }>(['get', 'ingress']))?.items.map((i) => i.spec.ingressClassName ?? null) ?? [];
    await eventually(async () => ((await ingressClasses()).length > 0 ? true : undefined), 'the domain\'s ingress');
    expect(await ingressClasses()).not.toContain('internal');
    expectStatus(await app.admin.patch('/v1/clusters/registry', { ingress_class_name: 'internal' }), 200);
    await eventually(async () => ((await ingressClasses()).every((c) => c === 'internal') ? true : undefined), 'ingresses of the new class');
    expect((await app.admin.get(`/v1/apps/${parent.name}/environments/live/releases/2`)).status).toBe(404);
  });

  // A first release charges the team's quota, which every environment of the team renders its
  // ResourceQuota from. Bumping all of them inside each release's transaction made concurrent
  // releases of one team lock each other's environments: PostgreSQL's deadlock detector answered
  // 500 to some of them.
  it('accepts concurrent first releases of one team\'s placed environments without a deadlock', async () => {
    const parent = await newApp(app);
    const names = Array.from({ length: 10 }, (_, i) => `e${i}`);
    for (const name of names) expectStatus(await parent.team.owner.client.post(`/v1/apps/${parent.name}/environments`, { name }), 201);
    const answers = await Promise.all(names.map((name) => parent.team.owner.client.post(`/v1/apps/${parent.name}/environments/${name}/releases`, { image: 'registry.example.com/a/b:1' })));
    expect(answers.map((a) => a.status)).toEqual(names.map(() => 201));
  });
});
