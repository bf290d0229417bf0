// Real-cluster failure modes end to end (#11 item 2 and 3): through Berth's REST API against sandbox
// clusters whose kubelet, scheduler and admission report what real ones report. The unit tests of
// release-status.ts prove the rules on status shapes; these prove the whole chain reaches the user.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { SandboxCluster } from '@berth/sandbox';
import { newApp, type TestApp_ } from '../../support/factories.js';
import { expectStatus } from '../../support/http.js';
import { eventually, kubectl, newSandbox, registerCluster } from '../../support/sandbox.js';
import { createTestApp, type TestApp } from '../../support/test-app.js';

interface Status {
  phase: string;
  reason: string | null;
  message: string | null;
  terminal?: boolean;
}
interface Release {
  number: number;
  image: string;
  rollback_of: number | null;
  status: Status;
}
interface Pod {
  metadata: { name: string; labels?: Record<string, string> };
  spec: { securityContext?: Record<string, unknown>; containers: Array<{ securityContext?: Record<string, unknown> }> };
  status: { phase: string; containerStatuses?: Array<{ ready: boolean; restartCount: number; state: Record<string, unknown> }> };
}

const TERMINAL = ['succeeded', 'failed', 'superseded'];

describe('real-cluster failure modes, end to end', () => {
  let app: TestApp;
  /** The cluster most tests run on (no label allowing root). */
  let cluster: SandboxCluster;
  /** A cluster whose platform admin allows the root profile. */
  let rootOk: SandboxCluster;

  beforeAll(async () => {
    cluster = await newSandbox('failures');
    rootOk = await newSandbox('rootok');
    app = await createTestApp({ env: { BERTH_RESYNC_INTERVAL_MS: '3600000', BERTH_CLUSTER_PROBE_INTERVAL_MS: '3600000' } });
    await registerCluster(app, cluster, { pool: 'main' });
    await registerCluster(app, rootOk, { 'berth.dev/allow-root': 'true' });
  });
  afterAll(async () => {
    await app.close();
    await cluster.stop();
    await rootOk.stop();
  });

  const get = async <T>(path: string) => expectStatus(await app.admin.get<T>(path), 200).body;
  const finished = (path: string, n: number) =>
    eventually(async () => {
      const r = await get<Release>(`${path}/releases/${n}`);
      return TERMINAL.includes(r.status.phase) ? r : undefined;
    }, `v${n} to finish`, 300, 50);
  /** An environment pinned to a cluster; tests that expect success get a 3600 s deadline (7 s in the sandbox). */
  const environment = async (name: string, settings: Record<string, unknown> = {}, parent?: TestApp_) => {
    const owner = parent ?? (await newApp(app));
    expectStatus(await owner.team.owner.client.post(`/v1/apps/${owner.name}/environments`, { name, cluster: 'failures', progress_deadline_seconds: 3600, ...settings }), 201);
    return { name, app: owner, path: `/v1/apps/${owner.name}/environments/${name}`, namespace: `${owner.name}-${name}` };
  };
  const deploy = async (env: { app: TestApp_; path: string }, image: string) =>
    expectStatus(await env.app.team.owner.client.post<Release>(`${env.path}/releases`, { image }), 201).body;
  const applied = (path: string) =>
    eventually(async () => ((await get<{ sync: { applied_generation: number } }>(path)).sync.applied_generation >= 1 ? true : undefined), 'namespace applied');
  const pods = async (sandbox: SandboxCluster, namespace: string) => (JSON.parse(await kubectl(sandbox, ['get', 'pods', '-n', namespace, '-o', 'json'])) as { items: Pod[] }).items;

  it('runs an image that runs as root under the default restricted profile, as uid 10001', async () => {
    const env = await environment('nginx');
    await deploy(env, 'nginx:1.27');
    expect((await finished(env.path, 1)).status).toMatchObject({ phase: 'succeeded', reason: null, terminal: true });
    const [pod] = await pods(cluster, env.namespace);
    expect(pod!.spec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001 });
    expect(pod!.status.containerStatuses![0]).toMatchObject({ ready: true, restartCount: 0, state: { running: expect.any(Object) } });
    const ns = JSON.parse(await kubectl(cluster, ['get', 'namespace', env.namespace, '-o', 'json'])) as { metadata: { labels: Record<string, string> } };
    expect(ns.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
  });

  it('fails a root image under security_profile image_user as runs_as_root, saying why and what to do', async () => {
    const env = await environment('imageuser', { security_profile: 'image_user' });
    await deploy(env, 'nginx:1.27');
    const r = await finished(env.path, 1);
    expect(r.status).toMatchObject({ phase: 'failed', reason: 'runs_as_root', terminal: true });
    // The kubelet's own words, then the way out.
    expect(r.status.message).toMatch(/container has runAsNonRoot and image will run as root/);
    expect(r.status.message).toMatch(/numeric non-root USER/);
    expect(r.status.message).toMatch(/security_profile to "restricted"/);
    const [pod] = await pods(cluster, env.namespace);
    expect(pod!.spec.securityContext).toMatchObject({ runAsNonRoot: true });
    expect(pod!.spec.securityContext!['runAsUser']).toBeUndefined();
  });

  it('refuses the root profile where the cluster does not allow it, and runs a root image where it does', async () => {
    // Placed by selector on a cluster without the label: created, and its release fails naming the label.
    const refused = await environment('rootno', { security_profile: 'root', cluster: undefined, cluster_selector: { pool: 'main' } });
    await deploy(refused, 'nginx:1.27');
    const failed = await finished(refused.path, 1);
    expect(failed.status).toMatchObject({ phase: 'failed', reason: 'security_profile_not_allowed', terminal: true });
    expect(failed.status.message).toMatch(/berth\.dev\/allow-root=true/);
    // Pinned to that cluster, the environment is refused at once, naming the field.
    const parent = await newApp(app);
    const explicit = await parent.team.owner.client.post(`/v1/apps/${parent.name}/environments`, { name: 'rootno', cluster: 'failures', security_profile: 'root' });
    expect(explicit.status).toBe(422);
    expect(explicit.text).toMatch(/security_profile.*berth\.dev\/allow-root=true/s);

    const env = await environment('rootyes', { security_profile: 'root', cluster: 'rootok' });
    await deploy(env, 'nginx:1.27');
    expect((await finished(env.path, 1)).status).toMatchObject({ phase: 'succeeded', reason: null });
    const ns = JSON.parse(await kubectl(rootOk, ['get', 'namespace', env.namespace, '-o', 'json'])) as { metadata: { labels: Record<string, string> } };
    expect(ns.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('baseline');
    const [pod] = await pods(rootOk, env.namespace);
    // Runs as the image's own (root) user: no uid and no runAsNonRoot.
    expect(pod!.spec.securityContext?.['runAsUser']).toBeUndefined();
    expect(pod!.spec.securityContext?.['runAsNonRoot']).toBeUndefined();
    expect(pod!.status.containerStatuses![0]).toMatchObject({ ready: true, state: { running: expect.any(Object) } });
  });

  it('puts back a Pod Security level tightened by hand before it refuses the next deploy\'s pods', async () => {
    // Berth owns the namespace's enforce label (it renders it), so relabelling it with kubectl is
    // drift: the informer sees the edit and the reconciler restores the rendered level, and the next
    // deploy's pods are admitted. (How a Pod Security refusal itself is classified,
    // FailedCreate → ReplicaFailure → pod_security_rejected, is covered by release-status.spec.ts.)
    const env = await environment('psa', { security_profile: 'root', cluster: 'rootok' });
    await applied(env.path);
    const level = async () => (JSON.parse(await kubectl(rootOk, ['get', 'namespace', env.namespace, '-o', 'json'])) as { metadata: { labels: Record<string, string> } }).metadata.labels['pod-security.kubernetes.io/enforce'];
    expect(await level()).toBe('baseline');
    await kubectl(rootOk, ['label', 'namespace', env.namespace, 'pod-security.kubernetes.io/enforce=restricted', '--overwrite']);
    await eventually(async () => ((await level()) === 'baseline' ? true : undefined), 'the enforce label to be put back');
    await deploy(env, 'nginx:1.27');
    const r = await finished(env.path, 1);
    expect(r.status).toMatchObject({ phase: 'succeeded' });
  });

  it('fails a LimitRange rejection as limit_range_rejected', async () => {
    // Berth's own LimitRange admits every size it offers: a stricter one set by hand is how it happens.
    const env = await environment('limits');
    await applied(env.path);
    await createLimitRange(cluster, env.namespace);
    await deploy(env, 'example.com/app:1');
    const r = await finished(env.path, 1);
    expect(r.status).toMatchObject({ phase: 'failed', reason: 'limit_range_rejected', terminal: true });
    expect(r.status.message).toMatch(/maximum cpu usage per Container is 100m/);
    expect(r.status.message).toMatch(/size within its limits/);
  });

  it('fails an image killed for memory as oom_killed once restarts reach the threshold', async () => {
    const env = await environment('oom', { failure_restart_threshold: 2 });
    await deploy(env, 'example.com/oom:1');
    const r = await finished(env.path, 1);
    expect(r.status).toMatchObject({ phase: 'failed', reason: 'oom_killed', terminal: true });
    expect(r.status.message).toMatch(/OOMKilled, \d+ restarts/);
    expect(Number(/OOMKilled, (\d+) restarts/.exec(r.status.message ?? '')?.[1])).toBeGreaterThanOrEqual(2);
    expect(r.status.message).toMatch(/larger size/);
  });

  it('does not roll back an app that crashes once while a dependency warms up: its release succeeds', async () => {
    const env = await environment('warmup', { auto_rollback: true });
    await deploy(env, 'example.com/app:1');
    expect((await finished(env.path, 1)).status.phase).toBe('succeeded');
    await deploy(env, 'example.com/crash-once:2');
    const v2 = await finished(env.path, 2);
    expect(v2.status).toMatchObject({ phase: 'succeeded', reason: null });
    // It did crash once (the kubelet restarted it), and no rollback release was made.
    const [pod] = (await pods(cluster, env.namespace)).filter((p) => p.metadata.labels?.['berth.dev/release'] === '2');
    expect(pod!.status.containerStatuses![0]).toMatchObject({ ready: true, restartCount: 1 });
    const list = await get<{ items: Release[] }>(`${env.path}/releases`);
    expect(list.items.map((r) => r.number)).toEqual([2, 1]);
  });

  it('fails pods that no node can fit as unschedulable at the progress deadline, with the scheduler\'s message', async () => {
    // Its own cluster: the pods it leaves running would take the node's capacity from the other tests.
    const full = await newSandbox('full');
    try {
      await registerCluster(app, full);
      const parent = await newApp(app);
      const quota = await app.admin.get(`/v1/teams/${parent.team.name}/quota`);
      expectStatus(await app.admin.put(`/v1/teams/${parent.team.name}/quota`, { cpu_millis: 20_000, memory_mib: 40_960 }, { headers: { 'if-match': quota.headers.get('etag')! } }), 200);
      // Five 2-CPU dynos: 10 CPU requested of the node's 8 allocatable. The default deadline (300 s, 0.6 s here).
      const env = await environment('big', { cluster: 'full', progress_deadline_seconds: undefined }, parent);
      expectStatus(await parent.team.owner.client.patch(`${env.path}/formation`, { process_types: [{ type: 'web', size: 'xlarge', replicas: 5 }] }), 200);
      await deploy(env, 'example.com/app:1');
      const r = await finished(env.path, 1);
      expect(r.status).toMatchObject({ phase: 'failed', reason: 'unschedulable', terminal: true });
      expect(r.status.message).toMatch(/^no progress within the progress deadline: pod web-\S+ cannot be scheduled: 0\/1 nodes are available: 1 Insufficient cpu/);
      expect(r.status.message).toMatch(/smaller size, fewer replicas/);
    } finally {
      await full.stop();
    }
  });
});

async function createLimitRange(sandbox: SandboxCluster, namespace: string): Promise<void> {
  const { writeFile, rm } = await import('node:fs/promises');
  const file = `${sandbox.kubeconfigPath}.limitrange.json`;
  await writeFile(
    file,
    JSON.stringify({ apiVersion: 'v1', kind: 'LimitRange', metadata: { name: 'strict', namespace }, spec: { limits: [{ type: 'Container', max: { cpu: '100m' } }] } }),
  );
  try {
    await kubectl(sandbox, ['create', '-f', file]);
  } finally {
    await rm(file, { force: true });
  }
}
