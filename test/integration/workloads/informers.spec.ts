// Reconciling the Kubernetes way (#15): per cluster, informers (list + watch) of what Berth manages.
// Drift is observed from watch events with no resync timer running (the interval is an hour here);
// a quiet resync makes no request at all (counted at the sandbox's HTTP boundary); an expired
// resume point (410 Gone) relists and finds what changed meanwhile; informers come back with their
// cluster.
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { startSandboxCluster, type SandboxCluster } from '@berth/sandbox';
import { newApp } from '../../support/factories.js';
import { expectStatus } from '../../support/http.js';
import { eventually, kubectl, registerCluster } from '../../support/sandbox.js';
import { createTestApp, type TestApp } from '../../support/test-app.js';
import { ClusterInformers } from '../../../src/modules/workloads/cluster-informers.service.js';
import { ReconcilerService } from '../../../src/modules/workloads/reconciler.service.js';
import { WorkloadsService } from '../../../src/modules/workloads/workloads.service.js';
import { StatusObserverService } from '../../../src/modules/workloads/status-observer.service.js';
import { PrismaService } from '../../../src/database/prisma.service.js';
import { WorkloadsRepository } from '../../../src/modules/workloads/workloads.repository.js';
import { WorkQueueService } from '../../../src/modules/work-queue/work-queue.service.js';
import { sql } from '../../support/database.js';

interface Env {
  id: string;
  sync: { applied_generation: number; desired_generation: number };
  status: { phase: string } | null;
}

describe('informers: drift observed, quiet resyncs free', () => {
  let app: TestApp;
  let cluster: SandboxCluster;
  let clusterId: string;

  beforeAll(async () => {
    // A short watch history, so a resume point can expire (410 Gone) within a test.
    cluster = await startSandboxCluster({ name: 'informed', rolloutDelayMs: 20, timeFactor: 0.002, namespaceTerminationMs: 50, logIntervalMs: 50, historySize: 40 });
    app = await createTestApp({ env: { BERTH_RESYNC_INTERVAL_MS: '3600000', BERTH_CLUSTER_PROBE_INTERVAL_MS: '3600000' } });
    clusterId = (await registerCluster(app, cluster)).id;
  });
  afterAll(async () => {
    await app.close();
    await cluster.stop();
  });

  const informers = () => app.server.app.get(ClusterInformers);
  const get = async <T>(path: string) => expectStatus(await app.admin.get<T>(path), 200).body;

  /** An environment with a release that has finished rolling out, and the cache listing its cluster. */
  async function running(name: string): Promise<{ env: Env; path: string; namespace: string }> {
    const parent = await newApp(app);
    const path = `/v1/apps/${parent.name}/environments/${name}`;
    expectStatus(await parent.team.owner.client.post(`/v1/apps/${parent.name}/environments`, { name, progress_deadline_seconds: 3600 }), 201);
    expectStatus(await parent.team.owner.client.post(`${path}/releases`, { image: 'example.com/app:1' }), 201);
    const env = await eventually(async () => {
      const e = await get<Env>(path);
      return e.status?.phase === 'succeeded' && e.sync.applied_generation >= e.sync.desired_generation ? e : undefined;
    }, `${name} to run`, 300);
    await eventually(async () => (informers().synced(clusterId) ? true : undefined), 'the informers to list the cluster');
    return { env, path, namespace: `${parent.name}-${name}` };
  }

  const deploymentNames = async (namespace: string) => kubectl(cluster, ['get', 'deployments', '-n', namespace, '-o', 'name']);

  it('re-creates a Deployment deleted by hand from the watch event, with no resync running', async () => {
    const { namespace } = await running('deleted');
    const noticed = informers().driftNoticed;
    await kubectl(cluster, ['delete', 'deployment', 'web', '-n', namespace]);
    await eventually(async () => ((await deploymentNames(namespace)).includes('deployment.apps/web') ? true : undefined), 'the Deployment re-created');
    expect(informers().driftNoticed).toBeGreaterThan(noticed);
  });

  it('puts back a field Berth owns that was edited by hand', async () => {
    const { namespace } = await running('edited');
    const live = JSON.parse(await kubectl(cluster, ['get', 'deployment', 'web', '-n', namespace, '-o', 'json'])) as { spec: { template: { spec: { containers: Array<{ name: string; image: string }> } } } };
    const container = live.spec.template.spec.containers[0]!;
    await kubectl(cluster, ['set', 'image', `deployment/web`, `${container.name}=example.com/tampered:9`, '-n', namespace]);
    await eventually(async () => {
      const now = JSON.parse(await kubectl(cluster, ['get', 'deployment', 'web', '-n', namespace, '-o', 'json'])) as typeof live;
      return now.spec.template.spec.containers[0]!.image === container.image ? true : undefined;
    }, 'the image Berth applied back');
  });

  it('leaves alone what Berth does not own (a label someone adds)', async () => {
    const { env, namespace } = await running('labelled');
    const noticed = informers().driftNoticed;
    await kubectl(cluster, ['label', 'deployment', 'web', '-n', namespace, 'owner=ops']);
    await eventually(async () => ((await kubectl(cluster, ['get', 'deployment', 'web', '-n', namespace, '-o', 'jsonpath={.metadata.labels.owner}'])) === 'ops' ? true : undefined), 'the label');
    // The reconciler compares owned fields only: nothing drifted, so the label stays.
    const outcome = await app.server.app.get(ReconcilerService).reconcile(env.id, { resync: true });
    expect(outcome).toMatchObject({ result: 'in-sync', writes: 0 });
    expect(informers().driftNoticed).toBe(noticed);
  });

  it('compares a quiet resync with the cache: no Kubernetes request, no write', async () => {
    const { env } = await running('quiet');
    // Let status looks triggered by the rollout settle before counting.
    await new Promise((r) => setTimeout(r, 300));
    cluster.resetStats();
    const batch = await app.server.app.get(WorkloadsService).resyncBatch([env.id], true);
    expect(batch.inSync).toBe(1);
    const outcome = await app.server.app.get(ReconcilerService).reconcile(env.id, { resync: true });
    expect(outcome).toMatchObject({ result: 'in-sync', writes: 0, drifted: [] });
    const stats = cluster.stats();
    expect(stats.mutating).toBe(0);
    expect(stats.byVerb.get ?? 0).toBe(0);
    expect(stats.byVerb.list ?? 0).toBe(0);
  });

  it('lists again when its resume point expired (410 Gone) and repairs what changed meanwhile', async () => {
    const { namespace } = await running('expired');
    const relists = Object.values(informers().counts()).reduce((n, c) => n + c.relists, 0);
    const deployments = cluster.core.store.resources().find((r) => r.plural === 'deployments')!;
    const configmaps = cluster.core.store.resources().find((r) => r.plural === 'configmaps')!;
    // In one synchronous step (nothing else runs meanwhile): cut every watch, delete the Deployment
    // behind Berth's back, and push enough events through that the history no longer reaches back.
    cluster.faults.dropWatches();
    cluster.core.store.remove(deployments, namespace, 'web');
    for (let i = 0; i < 60; i += 1) cluster.core.store.write(configmaps, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `noise-${i}`, namespace: 'default' }, data: {} });
    await eventually(async () => ((await deploymentNames(namespace)).includes('deployment.apps/web') ? true : undefined), 'the Deployment re-created after the relist');
    expect(Object.values(informers().counts()).reduce((n, c) => n + c.relists, 0)).toBeGreaterThan(relists);
  });

  it('answers a status look from the informers once they have listed, not by listing the cluster itself', async () => {
    const { env } = await running('looked');
    // New credentials restart the cluster's informers: they list again, slowly (latency per request).
    await app.server.app.get(PrismaService).query({ name: 'test_bump_cluster', text: 'UPDATE clusters SET version = version + 1 WHERE id = $1::uuid' }, [clusterId]);
    cluster.faults.set({ latencyMs: 150 });
    try {
      cluster.resetStats();
      await informers().sync();
      expect(informers().state(clusterId)).toBe('starting');
      const status = await app.server.app.get(StatusObserverService).observe(env.id, 0);
      expect(status?.phase).toBe('succeeded');
      expect(informers().synced(clusterId)).toBe(true);
    } finally {
      cluster.faults.set({ latencyMs: 0 });
    }
    // Every list the cluster served was an informer's (one page per kind here): none was the look's.
    const informerLists = informers().counts().informed?.lists ?? 0;
    expect(informerLists).toBeGreaterThan(0);
    expect(cluster.stats().byVerb.list ?? 0).toBe(informerLists);
  });

  it('starts watching again when its cluster comes back', async () => {
    const { namespace } = await running('outage');
    await cluster.faults.down();
    try {
      await eventually(async () => (informers().state(clusterId) === 'unsynced' ? true : undefined), 'the informers to notice the outage', 200, 50);
    } finally {
      await cluster.faults.up();
    }
    await eventually(async () => (informers().synced(clusterId) ? true : undefined), 'the informers to list the cluster again');
    await kubectl(cluster, ['delete', 'deployment', 'web', '-n', namespace]);
    await eventually(async () => ((await deploymentNames(namespace)).includes('deployment.apps/web') ? true : undefined), 'the Deployment re-created');
  });

  /** Environments as if Berth had never applied them (a first start): every object gets written. */
  async function forgetApplied(ids: string[]): Promise<void> {
    await sql(app.databaseUrl, "UPDATE environments SET applied_generation = 0, applied_objects = '{}' WHERE id = ANY($1::uuid[])", [ids]);
  }

  it('reconciles a resync batch’s out-of-sync environments together: one read, one settle, one record, one queued look', async () => {
    const envs = [await running('batch-a'), await running('batch-b'), await running('batch-c')];
    const ids = envs.map((e) => e.env.id);
    // No job may run between the rewind below and the batch: a status look still queued for one of
    // these environments would settle its rewound release as succeeded, and the batch would then
    // have nothing to mark "applying" for it (seen in CI under load). The batch runs here, not in a
    // worker; the workers start again afterwards.
    const queue = app.server.app.get(WorkQueueService);
    await queue.stop();
    try {
      await rewindAndBatch(ids);
    } finally {
      await queue.start();
    }
    // Every object applied again and recorded (8 per environment), as nothing was recorded as applied.
    const rows = await sql<{ applied_generation: number; desired_generation: number; objects: number }>(app.databaseUrl, 'SELECT applied_generation, desired_generation, cardinality(applied_objects) AS objects FROM environments WHERE id = ANY($1::uuid[])', [ids]);
    expect(rows.map((r) => [r.applied_generation === r.desired_generation, r.objects])).toEqual([[true, 8], [true, 8], [true, 8]]);
  });

  async function rewindAndBatch(ids: string[]): Promise<void> {
    await forgetApplied(ids);
    // Their releases as a first start finds them: accepted, never applied.
    await sql(app.databaseUrl, "UPDATE releases SET phase = 'pending', reason = 'queued', message = 'waiting to be applied' WHERE environment_id = ANY($1::uuid[])", [ids]);
    // From the informer cache (as after a start): every reconcile reaches its settle in the same turn.
    await eventually(async () => (informers().synced(clusterId) ? true : undefined), 'the informers to have listed the cluster');
    const repository = app.server.app.get(WorkloadsRepository);
    const reads = jest.spyOn(repository, 'loadReconciles');
    const records = jest.spyOn(repository, 'recordApplied');
    const settles = jest.spyOn(repository, 'settleStatuses');
    try {
      const batch = await app.server.app.get(WorkloadsService).resyncBatch(ids, false);
      expect(batch).toEqual({ inSync: 0, queued: 0, reconciled: 3 });
      // The batch's calls are the ones naming all three.
      const ours = (named: readonly string[]) => ids.every((id) => named.includes(id));
      expect(reads.mock.calls.filter(([read]) => ours(read)).map(([read]) => [...read].sort())).toEqual([[...ids].sort()]);
      // Every release marked "applying" before its objects are written, in one statement.
      const applying = settles.mock.calls.filter(([items]) => ours(items.map((i) => i.environmentId)) && items.every((i) => i.release?.phase === 'applying'));
      expect(applying).toHaveLength(1);
      expect(applying[0]![0].map((i) => [i.release?.reason, i.release?.message?.startsWith('applying v1 to cluster')])).toEqual([
        ['applying', true],
        ['applying', true],
        ['applying', true],
      ]);
      const recorded = records.mock.calls.filter(([applies]) => ours(applies.map((r) => r.environmentId)));
      expect(recorded).toHaveLength(1);
      expect(recorded[0]![0].map((r) => r.environmentId).sort()).toEqual([...ids].sort());
      // With it, in the same statement, one look at the whole batch, routed to the cluster.
      const then = JSON.parse(recorded[0]![1]!.json) as Array<{ identifier: string; payload: { environmentIds: string[] }; flags: string[] }>;
      expect(then).toEqual([expect.objectContaining({ identifier: 'observe_environments', flags: [`cluster:${clusterId}`] })]);
      expect([...then[0]!.payload.environmentIds].sort()).toEqual([...ids].sort());
    } finally {
      reads.mockRestore();
      records.mockRestore();
      settles.mockRestore();
    }
  }

  it('looks at many environments with one read and one statement settling them all, from the informer cache', async () => {
    const envs = [await running('look-a'), await running('look-b')];
    const ids = envs.map((e) => e.env.id);
    await sql(app.databaseUrl, "UPDATE environments SET observed_status = jsonb_set(observed_status, '{verified}', 'false') WHERE id = ANY($1::uuid[])", [ids]);
    const repository = app.server.app.get(WorkloadsRepository);
    const settles = jest.spyOn(repository, 'settleStatuses');
    await eventually(async () => (informers().synced(clusterId) ? true : undefined), 'the informers to have listed the cluster');
    try {
      cluster.resetStats();
      const alone = await app.server.app.get(StatusObserverService).observeMany([...ids, '00000000-0000-7000-8000-000000000000']);
      expect(alone).toEqual([]);
      const ours = settles.mock.calls.filter(([items]) => ids.every((id) => items.some((i) => i.environmentId === id)));
      expect(ours).toHaveLength(1);
      expect(ours[0]![0].map((i) => i.environmentId).sort()).toEqual([...ids].sort());
      // From the informer cache: no list or get of its own (the informers' watches may be renewed meanwhile).
      expect(cluster.stats().byVerb.get ?? 0).toBe(0);
      expect(cluster.stats().byVerb.list ?? 0).toBe(0);
    } finally {
      settles.mockRestore();
    }
    for (const { path } of envs) expect(await get<{ status: { phase: string; verified: boolean } }>(path)).toMatchObject({ status: { phase: 'succeeded', verified: true } });
  });

  it('gives each environment a batch could not finish a job of its own, retried once the cluster answers', async () => {
    const envs = [await running('retry-a'), await running('retry-b')];
    const ids = envs.map((e) => e.env.id);
    await forgetApplied(ids);
    cluster.faults.set({ throttle: true, retryAfterSeconds: 1 });
    try {
      const batch = await app.server.app.get(WorkloadsService).resyncBatch(ids, false);
      expect(batch).toEqual({ inSync: 0, queued: 2, reconciled: 0 });
      const jobs = await sql<{ key: string; later: boolean }>(app.databaseUrl, 'SELECT key, run_at > now() AS later FROM graphile_worker._private_jobs WHERE key = ANY($1::text[])', [ids.map((id) => `reconcile:${id}`)]);
      expect(jobs.map((j) => j.key).sort()).toEqual(ids.map((id) => `reconcile:${id}`).sort());
      // Each says why it waits.
      const errors = await sql<{ last_sync_error: string | null }>(app.databaseUrl, 'SELECT last_sync_error FROM environments WHERE id = ANY($1::uuid[])', [ids]);
      expect(errors.every((e) => e.last_sync_error !== null && /429|throttl|too many/i.test(e.last_sync_error))).toBe(true);
    } finally {
      cluster.faults.set({ throttle: false });
    }
    await eventually(async () => {
      const rows = await sql<{ done: boolean }>(app.databaseUrl, 'SELECT applied_generation >= desired_generation AS done FROM environments WHERE id = ANY($1::uuid[])', [ids]);
      return rows.every((r) => r.done) ? true : undefined;
    }, 'the jobs to apply both once the cluster answers');
  });
});
