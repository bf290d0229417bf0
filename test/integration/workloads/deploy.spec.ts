// From releases to running workloads, against real sandbox clusters over HTTP, checked with kubectl.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { SandboxCluster } from '@berth/sandbox';
import { sql } from '../../support/database.js';
import { newApp, newEnvironment, newMember, newTeam } from '../../support/factories.js';
import { expectStatus } from '../../support/http.js';
import { eventually, kubectl, newSandbox, registerCluster } from '../../support/sandbox.js';
import { createTestApp, type TestApp } from '../../support/test-app.js';

interface Env {
  id: string;
  version: number;
  cluster: { id: string; name: string } | null;
  state: string;
  sync: { desired_generation: number; applied_generation: number; last_error: string | null };
  status: { phase: string; processes: Array<{ type: string; desired: number; ready: number }> } | null;
}
interface EnvPods {
  status: { pods: Array<{ name: string }> } | null;
}
interface Release {
  number: number;
  status: { phase: string; reason: string | null };
}

describe('deploying to sandbox clusters', () => {
  let app: TestApp;
  let east: SandboxCluster;
  let west: SandboxCluster;

  beforeAll(async () => {
    east = await newSandbox('east');
    west = await newSandbox('west');
    app = await createTestApp({ env: { BERTH_RESYNC_INTERVAL_MS: '3600000', BERTH_CLUSTER_PROBE_INTERVAL_MS: '3600000' } });
    await registerCluster(app, east, { region: 'eu' });
    await registerCluster(app, west, { region: 'us' });
  });
  afterAll(async () => {
    await app.close();
    await east.stop();
    await west.stop();
  });

  const release = (path: string, n: number) => eventually(async () => {
    const r = expectStatus(await app.admin.get<Release>(`${path}/releases/${n}`), 200).body;
    return ['succeeded', 'failed'].includes(r.status.phase) ? r : undefined;
  }, `release v${n} to finish`);

  it('places an environment by label selector and shows the choice', async () => {
    const parent = await newApp(app);
    const created = expectStatus(await parent.team.owner.client.post<Env>(`/v1/apps/${parent.name}/environments`, { name: 'us', cluster_selector: { region: 'us' } }), 201).body;
    const placed = await eventually(async () => {
      const env = expectStatus(await app.admin.get<Env>(`/v1/apps/${parent.name}/environments/us`), 200).body;
      return env.cluster ? env : undefined;
    }, 'placement');
    expect(placed.cluster?.name).toBe('west');
    expect(created.id).toBe(placed.id);
    const explicit = expectStatus(await parent.team.owner.client.post<Env>(`/v1/apps/${parent.name}/environments`, { name: 'eu', cluster: 'east' }), 201).body;
    expect(explicit.cluster?.name).toBe('east');
  });

  it('deploys a release: namespace, deployment and service appear, the release succeeds, and kubectl sees it', async () => {
    const env = await newEnvironment(app, { name: 'staging' });
    const client = env.app.team.owner.client;
    expectStatus(await client.patch(`${env.path}/config-vars`, { set: { GREETING: 'hello' } }), 200);
    expectStatus(await client.post(`${env.path}/releases`, { image: 'registry.example.com/shop/web:1.0.0' }), 201);
    const done = await release(env.path, 1);
    expect(done.status).toMatchObject({ phase: 'succeeded', reason: null });
    const placed = expectStatus(await app.admin.get<Env>(env.path), 200).body;
    const cluster = placed.cluster!.name === 'east' ? east : west;
    const namespace = `${env.app.name}-staging`;
    const deployment = JSON.parse(await kubectl(cluster, ['get', 'deployment', 'web', '-n', namespace, '-o', 'json'])) as { spec: { template: { spec: { containers: Array<{ image: string }> } } } };
    expect(deployment.spec.template.spec.containers[0]!.image).toBe('registry.example.com/shop/web:1.0.0');
    expect(await kubectl(cluster, ['get', 'service', 'web', '-n', namespace, '-o', 'name'])).toMatch(/service\/web/);
    const secret = JSON.parse(await kubectl(cluster, ['get', 'secret', 'release-v1', '-n', namespace, '-o', 'json'])) as { data: Record<string, string>; immutable: boolean };
    expect(Buffer.from(secret.data.GREETING!, 'base64').toString()).toBe('hello');
    expect(secret.immutable).toBe(true);
    const status = await eventually(async () => {
      const e = expectStatus(await app.admin.get<Env>(env.path), 200).body;
      return e.status?.phase === 'succeeded' ? e : undefined;
    }, 'environment status');
    expect(status.status!.processes).toEqual([expect.objectContaining({ type: 'web', desired: 1, ready: 1 })]);
    // The work shows in the metrics: Kubernetes calls by cluster and verb, reconciles, release durations.
    const metrics = (await app.anonymous.get('/metrics')).text;
    expect(metrics).toMatch(new RegExp(`berth_kube_requests_total\\{[^}]*cluster="${placed.cluster!.name}"[^}]*verb="apply"`));
    expect(metrics).toMatch(/berth_reconcile_total\{outcome="applied"\} [1-9]/);
    expect(metrics).toMatch(/berth_release_duration_seconds_count\{outcome="succeeded"\} [1-9]/);
    expect(metrics).toMatch(/berth_queue_depth \d+/);
  });

  it('reports a failing image with its reason and rolls back automatically when asked', async () => {
    const parent = await newApp(app);
    const client = parent.team.owner.client;
    // A long progress deadline (7 s in the sandbox's time): the pull error must fail v2 by itself, and a busy machine must not fail v3.
    expectStatus(await client.post(`/v1/apps/${parent.name}/environments`, { name: 'prod', auto_rollback: true, progress_deadline_seconds: 3600 }), 201);
    const path = `/v1/apps/${parent.name}/environments/prod`;
    expectStatus(await client.post(`${path}/releases`, { image: 'example.com/good:1' }), 201);
    expect((await release(path, 1)).status.phase).toBe('succeeded');
    expectStatus(await client.post(`${path}/releases`, { image: 'example.com/fail-pull:2' }), 201);
    expect((await release(path, 2)).status).toMatchObject({ phase: 'failed', reason: 'image_pull_error' });
    const rolledBack = await release(path, 3);
    expect(rolledBack.status.phase).toBe('succeeded');
    const v3 = expectStatus(await client.get<{ image: string; rollback_of: number }>(`${path}/releases/3`), 200).body;
    expect(v3).toMatchObject({ image: 'example.com/good:1', rollback_of: 1 });
  });

  it('scales without a new release, prunes a removed process type, and repairs drift on resync', async () => {
    const env = await newEnvironment(app, { name: 'scale' });
    const client = env.app.team.owner.client;
    expectStatus(await client.patch(`${env.path}/formation`, { process_types: [{ type: 'web', replicas: 1 }, { type: 'worker', command: 'run-worker', replicas: 1 }] }), 200);
    expectStatus(await client.post(`${env.path}/releases`, { image: 'example.com/app:1' }), 201);
    await release(env.path, 1);
    const placed = expectStatus(await app.admin.get<Env>(env.path), 200).body;
    const cluster = placed.cluster!.name === 'east' ? east : west;
    const namespace = `${env.app.name}-scale`;
    expectStatus(await client.patch(`${env.path}/formation`, { process_types: [{ type: 'web', replicas: 3 }] }), 200);
    await eventually(async () => (JSON.parse(await kubectl(cluster, ['get', 'deployment', 'web', '-n', namespace, '-o', 'json'])).spec.replicas === 3 ? true : undefined), 'scale to 3');
    expect(expectStatus(await client.get<{ items: unknown[] }>(`${env.path}/releases`), 200).body.items).toHaveLength(1);
    expectStatus(await client.delete(`${env.path}/formation/worker`), 204);
    await eventually(async () => ((await kubectl(cluster, ['get', 'deployments', '-n', namespace, '-o', 'name'])).includes('worker') ? undefined : true), 'worker pruned');
    // Drift: someone deletes the Service and scales by hand; the resync puts both back.
    await kubectl(cluster, ['delete', 'service', 'web', '-n', namespace]);
    await kubectl(cluster, ['scale', 'deployment', 'web', '-n', namespace, '--replicas=1']);
    await app.server.app.get((await import('../../../src/modules/workloads/workloads.service.js')).WorkloadsService).resyncAll();
    await eventually(async () => ((await kubectl(cluster, ['get', 'service', 'web', '-n', namespace, '-o', 'name'])).includes('web') ? true : undefined), 'service restored');
    await eventually(async () => (JSON.parse(await kubectl(cluster, ['get', 'deployment', 'web', '-n', namespace, '-o', 'json'])).spec.replicas === 3 ? true : undefined), 'replicas restored');
    const drift = expectStatus(await client.get<Array<{ object: string }>>(`${env.path}/drift`), 200).body;
    expect(drift.map((d) => d.object)).toEqual(expect.arrayContaining([`v1/Service/${namespace}/web`, `apps/v1/Deployment/${namespace}/web`]));
  });

  it('watches what it created: a change on the cluster shows in the status without polling', async () => {
    const env = await newEnvironment(app, { name: 'watched' });
    expectStatus(await env.app.team.owner.client.post(`${env.path}/releases`, { image: 'example.com/app:1' }), 201);
    await release(env.path, 1);
    const placed = expectStatus(await app.admin.get<Env>(env.path), 200).body;
    const cluster = placed.cluster!.name === 'east' ? east : west;
    // Once a release has settled, Berth stops looking on its own; only the watch can notice this.
    // A pod deleted by hand is not drift (Berth applies no Pod): its ReplicaSet replaces it, and the
    // status lists the new pod. (A manual scale would be drift: Berth owns spec.replicas and puts it back.)
    const namespace = `${env.app.name}-watched`;
    const before = await eventually(async () => {
      const e = expectStatus(await app.admin.get<EnvPods>(env.path), 200).body;
      return e.status?.pods.length === 1 ? e.status.pods[0]!.name : undefined;
    }, 'the pod in the status');
    await kubectl(cluster, ['delete', 'pod', before, '-n', namespace, '--wait=false']);
    const seen = await eventually(async () => {
      const e = expectStatus(await app.admin.get<EnvPods>(env.path), 200).body;
      return e.status?.pods.some((p) => p.name !== before) && !e.status.pods.some((p) => p.name === before) ? e : undefined;
    }, 'the replacement pod to show in the status');
    expect(seen.status!.pods).toHaveLength(1);
  });

  it('streams the pods\' logs as server-sent events, and restarts without a new release', async () => {
    const env = await newEnvironment(app, { name: 'logs' });
    const client = env.app.team.owner.client;
    expectStatus(await client.post(`${env.path}/releases`, { image: 'example.com/app:1' }), 201);
    await release(env.path, 1);
    const res = await fetch(`${app.url}${env.path}/logs?tail=5`, { headers: { authorization: `Bearer ${env.app.team.owner.token}` } });
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    const events = (await res.text()).split('\n\n').filter((e) => e.startsWith('data: ')).map((e) => JSON.parse(e.slice(6)) as { pod: string; process_type: string; line: string });
    expect(events.length).toBeGreaterThan(0);
    expect(events[0]).toMatchObject({ process_type: 'web', pod: expect.stringMatching(/^web-/) });
    const viewer = await newMember(app, env.app.team, 'viewer');
    expect((await viewer.client.get(`${env.path}/logs`)).status).toBe(403);

    const placed = expectStatus(await app.admin.get<Env>(env.path), 200).body;
    const cluster = placed.cluster!.name === 'east' ? east : west;
    expectStatus(await client.post(`${env.path}/restart`), 202);
    const annotated = await eventually(async () => {
      const d = JSON.parse(await kubectl(cluster, ['get', 'deployment', 'web', '-n', `${env.app.name}-logs`, '-o', 'json'])) as { spec: { template: { metadata: { annotations: Record<string, string> } } } };
      return d.spec.template.metadata.annotations['berth.dev/restarted-at'];
    }, 'the restart annotation');
    expect(Date.parse(annotated)).not.toBeNaN();
    expect(expectStatus(await client.get<{ items: unknown[] }>(`${env.path}/releases`), 200).body.items).toHaveLength(1);
  });

  it('makes no write and no list when a resync finds nothing drifted', async () => {
    const env = await newEnvironment(app, { name: 'quiet' });
    expectStatus(await env.app.team.owner.client.post(`${env.path}/releases`, { image: 'example.com/app:1' }), 201);
    await release(env.path, 1);
    const placed = expectStatus(await app.admin.get<Env>(env.path), 200).body;
    const cluster = placed.cluster!.name === 'east' ? east : west;
    const reconciler = app.server.app.get((await import('../../../src/modules/workloads/reconciler.service.js')).ReconcilerService);
    cluster.resetStats();
    const outcome = await reconciler.reconcile(placed.id, { resync: true });
    expect(outcome).toMatchObject({ result: 'in-sync', writes: 0, drifted: [] });
    const stats = cluster.stats();
    expect(stats.mutating).toBe(0);
    expect(stats.byVerb.list ?? 0).toBe(0);
  });

  it('deletes an environment: 202, deploys refused meanwhile, namespace removed, then the record', async () => {
    const env = await newEnvironment(app, { name: 'doomed' });
    const client = env.app.team.owner.client;
    expectStatus(await client.post(`${env.path}/releases`, { image: 'example.com/app:1' }), 201);
    await release(env.path, 1);
    const placed = expectStatus(await app.admin.get<Env>(env.path), 200).body;
    const cluster = placed.cluster!.name === 'east' ? east : west;
    expectStatus(await client.delete(env.path), 202);
    expect((await client.post(`${env.path}/releases`, { image: 'example.com/app:2' })).status).toBe(409);
    await eventually(async () => ((await client.get(env.path)).status === 404 ? true : undefined), 'environment record removed');
    const namespaces = await kubectl(cluster, ['get', 'namespaces', '-o', 'name']);
    expect(namespaces).not.toContain(`namespace/${env.app.name}-doomed`);
    expect(await sql(app.databaseUrl, 'SELECT 1 FROM environments WHERE id = $1', [placed.id])).toHaveLength(0);
  });

  it('deletes an app with environments: 202, then every namespace and record goes', async () => {
    const env = await newEnvironment(app, { name: 'gone' });
    const client = env.app.team.owner.client;
    expectStatus(await client.post(`${env.path}/releases`, { image: 'example.com/app:1' }), 201);
    await release(env.path, 1);
    const placed = expectStatus(await app.admin.get<Env>(env.path), 200).body;
    const cluster = placed.cluster!.name === 'east' ? east : west;
    expect(expectStatus(await client.delete<{ state: string }>(`/v1/apps/${env.app.name}`), 202).body.state).toBe('deleting');
    expect((await client.post(`${env.path}/releases`, { image: 'example.com/app:2' })).status).toBe(409);
    await eventually(async () => ((await client.get(`/v1/apps/${env.app.name}`)).status === 404 ? true : undefined), 'app record removed');
    expect(await kubectl(cluster, ['get', 'namespaces', '-o', 'name'])).not.toContain(`namespace/${env.app.name}-gone`);
  });

  it('keeps deploying to healthy clusters while one is down, and catches up when it returns', async () => {
    const team = await newTeam(app);
    const onEast = await newApp(app, { team });
    const onWest = await newApp(app, { team });
    expectStatus(await team.owner.client.post(`/v1/apps/${onEast.name}/environments`, { name: 'e', cluster: 'east' }), 201);
    expectStatus(await team.owner.client.post(`/v1/apps/${onWest.name}/environments`, { name: 'w', cluster: 'west' }), 201);
    await east.faults.down();
    try {
      expectStatus(await team.owner.client.post(`/v1/apps/${onEast.name}/environments/e/releases`, { image: 'example.com/app:1' }), 201);
      expectStatus(await team.owner.client.post(`/v1/apps/${onWest.name}/environments/w/releases`, { image: 'example.com/app:1' }), 201);
      expect((await release(`/v1/apps/${onWest.name}/environments/w`, 1)).status.phase).toBe('succeeded');
      const stuck = expectStatus(await app.admin.get<Env>(`/v1/apps/${onEast.name}/environments/e`), 200).body;
      expect(stuck.sync.applied_generation).toBeLessThan(stuck.sync.desired_generation);
    } finally {
      await east.faults.up();
    }
    expect((await release(`/v1/apps/${onEast.name}/environments/e`, 1)).status.phase).toBe('succeeded');
  });
});
