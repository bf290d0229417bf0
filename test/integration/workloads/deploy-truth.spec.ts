// Every deploy ends, with a reason (#11): the hangs users met, reproduced against sandbox clusters.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startSandboxCluster, type SandboxCluster } from '@berth/sandbox';
import { newApp, newEnvironment, newTeam, type TestApp_ } from '../../support/factories.js';
import { expectStatus } from '../../support/http.js';
import { eventually, kubectl, newSandbox, registerCluster } from '../../support/sandbox.js';
import { createTestApp, type TestApp } from '../../support/test-app.js';
import { createTestDatabase } from '../../support/database.js';
import { WorkloadsService } from '../../../src/modules/workloads/workloads.service.js';

interface Status {
  phase: string;
  reason: string | null;
  message: string | null;
  superseded_by?: number | null;
  terminal?: boolean;
}
interface Release {
  number: number;
  image: string;
  rollback_of: number | null;
  status: Status;
}
interface Env {
  id: string;
  cluster: { name: string } | null;
  status: (Status & { release: number | null; verified: boolean; processes: Array<{ desired: number; ready: number }> }) | null;
}

const TERMINAL = ['succeeded', 'failed', 'superseded'];

describe('every deploy ends, with a reason', () => {
  let app: TestApp;
  let cluster: SandboxCluster;
  let gold: SandboxCluster | undefined;

  beforeAll(async () => {
    cluster = await newSandbox('truth');
    app = await createTestApp({ env: { BERTH_RESYNC_INTERVAL_MS: '3600000', BERTH_CLUSTER_PROBE_INTERVAL_MS: '3600000' } });
    await registerCluster(app, cluster, { tier: 'silver' });
  });
  afterAll(async () => {
    await app.close();
    await cluster.stop();
    await gold?.stop();
  });

  const get = async <T>(path: string) => expectStatus(await app.admin.get<T>(path), 200).body;
  const finished = (path: string, n: number) =>
    eventually(async () => {
      const r = await get<Release>(`${path}/releases/${n}`);
      return TERMINAL.includes(r.status.phase) ? r : undefined;
    }, `v${n} to finish`, 300, 50);
  // The sandbox runs 500x faster than a cluster: a default 300 s deadline is 0.6 s there, which a busy
  // machine can miss. Tests that expect success give rollouts 3600 s (7 s there).
  const steadyEnvironment = async (name: string) => {
    const parent = await newApp(app);
    expectStatus(await parent.team.owner.client.post(`/v1/apps/${parent.name}/environments`, { name, progress_deadline_seconds: 3600 }), 201);
    return { name, app: parent, path: `/v1/apps/${parent.name}/environments/${name}` };
  };
  const deploy = async (owner: TestApp_, path: string, image: string) => expectStatus(await owner.team.owner.client.post<Release>(`${path}/releases`, { image }), 201).body;

  it('says why a release waits when no cluster matches the selector, and places it once one does', async () => {
    const parent = await newApp(app);
    const path = `/v1/apps/${parent.name}/environments/gold`;
    expectStatus(await parent.team.owner.client.post(`/v1/apps/${parent.name}/environments`, { name: 'gold', cluster_selector: { tier: 'gold' } }), 201);
    const created = await deploy(parent, path, 'example.com/app:1');
    expect(created.status).toMatchObject({ phase: 'pending', reason: 'queued', terminal: false });
    const waiting = await eventually(async () => {
      const r = await get<Release>(`${path}/releases/1`);
      return r.status.reason === 'no_matching_cluster' ? r : undefined;
    }, 'the unplaced reason');
    expect(waiting.status.phase).toBe('pending');
    expect(waiting.status.message).toMatch(/no cluster matches selector \{tier: gold\}/);
    const env = await get<Env>(path);
    expect(env.status).toMatchObject({ phase: 'pending', reason: 'no_matching_cluster', release: 1 });
    // The way out: a matching cluster appears; the environment is placed and the release runs.
    gold = await newSandbox('gold');
    await registerCluster(app, gold, { tier: 'gold' });
    expect((await finished(path, 1)).status.phase).toBe('succeeded');
    expect((await get<Env>(path)).cluster?.name).toBe('gold');
    // The other tests inspect the first cluster with kubectl: nothing new goes to this one.
    expectStatus(await app.admin.post('/v1/clusters/gold/cordon'), 200);
  });

  it('settles releases replaced before they finished as superseded, naming the replacement', async () => {
    const env = await steadyEnvironment('busy');
    for (const n of [1, 2, 3]) await deploy(env.app, env.path, `example.com/app:${n}`);
    expect((await finished(env.path, 3)).status.phase).toBe('succeeded');
    const v1 = await get<Release>(`${env.path}/releases/1`);
    const v2 = await get<Release>(`${env.path}/releases/2`);
    for (const [r, by] of [[v1, 2], [v2, 3]] as const) {
      // Either it finished before the next came, or the next superseded it: never left hanging.
      expect(TERMINAL).toContain(r.status.phase);
      if (r.status.phase === 'superseded') expect(r.status).toMatchObject({ reason: 'superseded', superseded_by: by, terminal: true });
    }
    // Deployed back to back, at least v2 was still moving when v3 came.
    expect([v1.status.phase, v2.status.phase]).toContain('superseded');
  });

  it('re-creates a namespace deleted by hand when the next deploy comes', async () => {
    const env = await steadyEnvironment('nsgone');
    await deploy(env.app, env.path, 'example.com/app:1');
    expect((await finished(env.path, 1)).status.phase).toBe('succeeded');
    const namespace = `${env.app.name}-nsgone`;
    await kubectl(cluster, ['delete', 'namespace', namespace, '--wait=false']);
    await deploy(env.app, env.path, 'example.com/app:2');
    const v2 = await finished(env.path, 2);
    expect(v2.status).toMatchObject({ phase: 'succeeded', reason: null });
    const deployment = JSON.parse(await kubectl(cluster, ['get', 'deployment', 'web', '-n', namespace, '-o', 'json'])) as { spec: { template: { spec: { containers: Array<{ image: string }> } } } };
    expect(deployment.spec.template.spec.containers[0]!.image).toBe('example.com/app:2');
    expect(await kubectl(cluster, ['get', 'secret', 'release-v2', '-n', namespace, '-o', 'name'])).toContain('release-v2');
  });

  it('re-creates a namespace deleted while a deploy is in progress', async () => {
    const env = await steadyEnvironment('nsrace');
    await deploy(env.app, env.path, 'example.com/app:1');
    await finished(env.path, 1);
    const namespace = `${env.app.name}-nsrace`;
    await deploy(env.app, env.path, 'example.com/app:2');
    await kubectl(cluster, ['delete', 'namespace', namespace, '--wait=false']);
    expect((await finished(env.path, 2)).status).toMatchObject({ phase: 'succeeded', reason: null });
    await eventually(async () => ((await kubectl(cluster, ['get', 'deployments', '-n', namespace, '-o', 'name'])).includes('deployment.apps/web') ? true : undefined), 'the Deployment back');
    await eventually(async () => ((await get<Env>(env.path)).status?.processes[0]?.ready === 1 ? true : undefined), 'pods running again');
  });

  it('re-creates a Deployment deleted by hand without waiting for the resync (the watch notices)', async () => {
    const env = await steadyEnvironment('watchgone');
    await deploy(env.app, env.path, 'example.com/app:1');
    await finished(env.path, 1);
    const namespace = `${env.app.name}-watchgone`;
    await kubectl(cluster, ['delete', 'deployment', 'web', '-n', namespace]);
    // The resync interval is an hour here: only the watch → observe → reconcile path can repair it.
    await eventually(async () => ((await kubectl(cluster, ['get', 'deployments', '-n', namespace, '-o', 'name'])).includes('deployment.apps/web') ? true : undefined), 'the Deployment re-created');
  });

  it('repairs a Deployment deleted by hand at the next resync', async () => {
    const env = await steadyEnvironment('depgone');
    await deploy(env.app, env.path, 'example.com/app:1');
    await finished(env.path, 1);
    const namespace = `${env.app.name}-depgone`;
    await kubectl(cluster, ['delete', 'deployment', 'web', '-n', namespace]);
    await app.server.app.get(WorkloadsService).resyncAll();
    await eventually(async () => ((await kubectl(cluster, ['get', 'deployments', '-n', namespace, '-o', 'name'])).includes('deployment.apps/web') ? true : undefined), 'the Deployment re-created');
    const status = await eventually(async () => {
      const e = await get<Env>(env.path);
      return e.status?.phase === 'succeeded' && e.status.processes[0]?.ready === 1 ? e.status : undefined;
    }, 'the environment to run again');
    expect(status.verified).toBe(true);
  });

  it('says since when a cluster is unreachable, and finishes once it answers again', async () => {
    const parent = await newApp(app);
    const path = `/v1/apps/${parent.name}/environments/offline`;
    expectStatus(await parent.team.owner.client.post(`/v1/apps/${parent.name}/environments`, { name: 'offline', cluster: 'truth' }), 201);
    await eventually(async () => ((await get<{ sync: { applied_generation: number } }>(path)).sync.applied_generation >= 1 ? true : undefined), 'namespace applied');
    expect((await get<Env>(path)).status).toMatchObject({ phase: 'succeeded', reason: null, release: null, message: expect.stringMatching(/^no release yet/) });
    await cluster.faults.down();
    try {
      await deploy(parent, path, 'example.com/app:1');
      const waiting = await eventually(async () => {
        const r = await get<Release>(`${path}/releases/1`);
        return r.status.reason === 'cluster_unreachable' ? r : undefined;
      }, 'the unreachable reason');
      expect(waiting.status.phase).toBe('applying');
      expect(waiting.status.message).toMatch(/^cluster truth unreachable since \d{4}-\d\d-\d\dT/);
      expect((await get<Env>(path)).status).toMatchObject({ reason: 'cluster_unreachable', verified: false });
    } finally {
      await cluster.faults.up();
    }
    expect((await finished(path, 1)).status.phase).toBe('succeeded');
    expect((await get<Env>(path)).status).toMatchObject({ phase: 'succeeded', verified: true });
  });

  it('ends a release still moving when its environment is deleted', async () => {
    // A cluster slow to remove namespaces keeps the record (and the release) around long enough to look at.
    const slow = await startSandboxCluster({ name: 'slowdel', rolloutDelayMs: 20, timeFactor: 0.002, namespaceTerminationMs: 1500 });
    try {
      await registerCluster(app, slow);
      const parent = await newApp(app);
      const path = `/v1/apps/${parent.name}/environments/doomed`;
      expectStatus(await parent.team.owner.client.post(`/v1/apps/${parent.name}/environments`, { name: 'doomed', cluster: 'slowdel', progress_deadline_seconds: 3600 }), 201);
      // Nothing else goes there (the other tests inspect the first cluster).
      expectStatus(await app.admin.post('/v1/clusters/slowdel/cordon'), 200);
      await deploy(parent, path, 'example.com/never-ready:1');
      await eventually(async () => ((await get<Release>(`${path}/releases/1`)).status.phase === 'rolling_out' ? true : undefined), 'v1 rolling out');
      expectStatus(await parent.team.owner.client.delete(path), 202);
      const ended = await eventually(async () => {
        const r = await get<Release>(`${path}/releases/1`);
        return r.status.terminal ? r.status : undefined;
      }, 'v1 to end', 200, 20);
      expect(ended).toMatchObject({ phase: 'failed', reason: 'environment_deleted' });
      await eventually(async () => ((await app.admin.get(path)).status === 404 ? true : undefined), 'the record to go once the namespace is gone');
    } finally {
      await slow.stop();
    }
  });

  it('fails an image that cannot be pulled, saying what to check', async () => {
    const env = await steadyEnvironment('pull');
    await deploy(env.app, env.path, 'example.com/fail-pull:1');
    const r = await finished(env.path, 1);
    expect(r.status).toMatchObject({ phase: 'failed', reason: 'image_pull_error', terminal: true });
    expect(r.status.message).toMatch(/cannot be pulled .*registry credentials/);
    expect((await get<Env>(env.path)).status).toMatchObject({ phase: 'failed', reason: 'image_pull_error' });
  });

  it('fails a crash loop only once restarts reach the environment threshold, and rolls back then', async () => {
    const parent = await newApp(app);
    const path = `/v1/apps/${parent.name}/environments/crashy`;
    expectStatus(await parent.team.owner.client.post(`/v1/apps/${parent.name}/environments`, { name: 'crashy', auto_rollback: true, failure_restart_threshold: 4, progress_deadline_seconds: 3600 }), 201);
    // A long deadline (7 s in the sandbox's time) so only the restart threshold can fail v2, and a busy machine cannot fail v3.
    await deploy(parent, path, 'example.com/app:1');
    expect((await finished(path, 1)).status.phase).toBe('succeeded');
    await deploy(parent, path, 'example.com/crash:2');
    const failed = await finished(path, 2);
    expect(failed.status).toMatchObject({ phase: 'failed', reason: 'crash_loop' });
    expect(Number(/(\d+) restarts/.exec(failed.status.message ?? '')?.[1])).toBeGreaterThanOrEqual(4);
    const v3 = await finished(path, 3);
    expect(v3).toMatchObject({ image: 'example.com/app:1', rollback_of: 1 });
    expect(v3.status).toMatchObject({ phase: 'succeeded', reason: null });
  });

  it('fails a release whose pods never become ready at the progress deadline', async () => {
    const env = await newEnvironment(app, { name: 'slow' });
    await deploy(env.app, env.path, 'example.com/never-ready:1');
    const moving = await eventually(async () => {
      const r = await get<Release>(`${env.path}/releases/1`);
      return r.status.reason === 'waiting_for_pods' || TERMINAL.includes(r.status.phase) ? r : undefined;
    }, 'a rolling-out reason');
    if (moving.status.reason === 'waiting_for_pods') expect(moving.status.message).toMatch(/waiting for pods of v1 to be ready: 0\/1 web/);
    const r = await finished(env.path, 1);
    expect(r.status).toMatchObject({ phase: 'failed', reason: 'progress_deadline' });
  });

  it('waits for quota, then fails as quota_exceeded at the progress deadline', async () => {
    const env = await newEnvironment(app, { name: 'tight' });
    await eventually(async () => ((await get<{ sync: { applied_generation: number } }>(env.path)).sync.applied_generation >= 1 ? true : undefined), 'namespace applied');
    // A quota someone else set in the namespace, stricter than Berth's own: admission refuses the pods.
    await kubectl(cluster, ['create', 'quota', 'tight', '--hard=pods=0', '-n', `${env.app.name}-tight`]);
    await deploy(env.app, env.path, 'example.com/app:1');
    const r = await finished(env.path, 1);
    expect(r.status).toMatchObject({ phase: 'failed', reason: 'quota_exceeded' });
    expect(r.status.message).toMatch(/exceeded quota: tight/);
  });

  it('fails the root security profile on a cluster whose admin did not allow it, naming the label', async () => {
    const parent = await newApp(app);
    const path = `/v1/apps/${parent.name}/environments/rooty`;
    const created = expectStatus(await parent.team.owner.client.post<{ security_profile: string }>(`/v1/apps/${parent.name}/environments`, { name: 'rooty', security_profile: 'root' }), 201).body;
    expect(created.security_profile).toBe('root');
    await deploy(parent, path, 'example.com/nginx:1');
    const r = await finished(path, 1);
    expect(r.status).toMatchObject({ phase: 'failed', reason: 'security_profile_not_allowed' });
    expect(r.status.message).toMatch(/berth\.dev\/allow-root=true/);
    const bad = await parent.team.owner.client.post(`/v1/apps/${parent.name}/environments`, { name: 'bad', security_profile: 'superuser', failure_restart_threshold: 1 });
    expect(bad.status).toBe(422);
    expect(bad.text).toMatch(/security_profile/);
    expect(bad.text).toMatch(/failure_restart_threshold/);
    // Where the cluster is known, the refusal comes at once, names the field and changes nothing.
    const explicit = await parent.team.owner.client.post(`/v1/apps/${parent.name}/environments`, { name: 'explicit', cluster: 'truth', security_profile: 'root' });
    expect(explicit.status).toBe(422);
    expect(explicit.text).toMatch(/security_profile.*berth\.dev\/allow-root=true/s);
    expect((await parent.team.owner.client.get(`/v1/apps/${parent.name}/environments/explicit`)).status).toBe(404);
    const placed = expectStatus(await app.admin.get<{ version: number; cluster: { name: string } }>(path), 200).body;
    expect(placed.cluster.name).toBe('truth');
    const patch = await parent.team.owner.client.patch(path, { security_profile: 'root' }, { headers: { 'if-match': `"${placed.version}"` } });
    expect(patch.status).toBe(422);
    // Once a platform admin allows it on the cluster, the same environment runs (a new deploy: the failed release stays failed).
    const truth = expectStatus(await app.admin.get<{ version: number; labels: Record<string, string> }>('/v1/clusters/truth'), 200).body;
    expectStatus(await app.admin.patch('/v1/clusters/truth', { labels: { ...truth.labels, 'berth.dev/allow-root': 'true' } }, { headers: { 'if-match': `"${truth.version}"` } }), 200);
    try {
      await deploy(parent, path, 'example.com/nginx:2');
      expect((await finished(path, 2)).status).toMatchObject({ phase: 'succeeded' });
      const ns = JSON.parse(await kubectl(cluster, ['get', 'namespace', `${parent.name}-rooty`, '-o', 'json'])) as { metadata: { labels: Record<string, string> } };
      expect(ns.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('baseline');
    } finally {
      const now = expectStatus(await app.admin.get<{ version: number; labels: Record<string, string> }>('/v1/clusters/truth'), 200).body;
      expectStatus(await app.admin.patch('/v1/clusters/truth', { labels: truth.labels }, { headers: { 'if-match': `"${now.version}"` } }), 200);
    }
  });

  it('streams a release\'s status as server-sent events until it is terminal', async () => {
    const env = await steadyEnvironment('sse');
    await deploy(env.app, env.path, 'example.com/app:1');
    const res = await fetch(`${app.url}${env.path}/releases/1/events`, { headers: { authorization: `Bearer ${env.app.team.owner.token}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    // The body ends by itself once the release is terminal.
    const events = (await res.text()).split('\n\n').filter((e) => e.includes('data: '));
    const statuses = events.map((e) => {
      expect(e).toMatch(/^event: status\n/);
      return (JSON.parse(e.slice(e.indexOf('data: ') + 6)) as Release).status;
    });
    expect(statuses.length).toBeGreaterThan(0);
    expect(statuses.at(-1)).toMatchObject({ phase: 'succeeded', terminal: true });
    for (const s of statuses.slice(0, -1)) expect(s).toMatchObject({ terminal: false, reason: expect.any(String), message: expect.any(String) });
    // Same checks as GET of the release: another team's release is not found, a bad number too.
    const stranger = (await newTeam(app)).owner;
    expect((await stranger.client.get(`${env.path}/releases/1/events`)).status).toBe(404);
    expect((await env.app.team.owner.client.get(`${env.path}/releases/99/events`)).status).toBe(404);
    expect((await app.anonymous.get(`${env.path}/releases/1/events`)).status).toBe(401);
    const bad = await env.app.team.owner.client.get(`${env.path}/releases/1/events?timeout_seconds=0`);
    expect(bad.status).toBe(422);
    expect(bad.text).toMatch(/timeout_seconds/);
    // A release that never finishes: the stream still ends after timeout_seconds, having said why it waits.
    const parent = await newApp(app);
    expectStatus(await parent.team.owner.client.post(`/v1/apps/${parent.name}/environments`, { name: 'nowhere', cluster_selector: { tier: 'platinum' } }), 201);
    await deploy(parent, `/v1/apps/${parent.name}/environments/nowhere`, 'example.com/app:1');
    const waiting = await parent.team.owner.client.get(`/v1/apps/${parent.name}/environments/nowhere/releases/1/events?timeout_seconds=1`);
    expect(waiting.text).toMatch(/^event: status\n/);
    expect(waiting.text).toMatch(/"phase":"pending"/);
  });
});

describe('after a restart Berth re-verifies what it applied', () => {
  it('marks status unverified, re-creates what vanished while it was down and observes it again', async () => {
    const cluster = await newSandbox('restart');
    const db = await createTestDatabase();
    const first = await createTestApp({ databaseUrl: db.url, env: { BERTH_RESYNC_INTERVAL_MS: '3600000' } });
    let second: TestApp | undefined;
    try {
      await registerCluster(first, cluster);
      const parent = await newApp(first);
      expectStatus(await parent.team.owner.client.post(`/v1/apps/${parent.name}/environments`, { name: 'persist', progress_deadline_seconds: 3600 }), 201);
      const env = { app: parent, path: `/v1/apps/${parent.name}/environments/persist` };
      expectStatus(await env.app.team.owner.client.post(`${env.path}/releases`, { image: 'example.com/app:1' }), 201);
      await eventually(async () => ((await first.admin.get<Env>(env.path)).body.status?.phase === 'succeeded' ? true : undefined), 'first deploy', 300);
      await first.close();
      // While Berth is down the cluster loses everything (a sandbox restart, a namespace deleted by hand).
      await kubectl(cluster, ['delete', 'namespace', `${env.app.name}-persist`]);
      await eventually(async () => ((await kubectl(cluster, ['get', 'namespaces', '-o', 'name'])).includes(`${env.app.name}-persist`) ? undefined : true), 'namespace gone');
      second = await createTestApp({ databaseUrl: db.url, env: { BERTH_RESYNC_INTERVAL_MS: '3600000' } });
      const env2 = await eventually(async () => {
        const e = expectStatus(await second!.admin.get<Env>(env.path), 200).body;
        return e.status?.verified && e.status.phase === 'succeeded' ? e : undefined;
      }, 're-verified status', 300);
      expect(env2.status!.processes[0]).toMatchObject({ desired: 1, ready: 1 });
      expect(await kubectl(cluster, ['get', 'deployment', 'web', '-n', `${env.app.name}-persist`, '-o', 'name'])).toContain('web');
    } finally {
      await second?.close();
      await db.drop();
      await cluster.stop();
    }
  });
});
