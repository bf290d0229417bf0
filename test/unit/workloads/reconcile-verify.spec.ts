// A resync's compare against the informer cache. A complete cache can still lag the cluster by a
// watch event: a replica that just took a cluster over lists it while the previous owner's last
// applies are in flight, and their events arrive a moment later. An object the cache does not show
// is therefore read once before it counts as drift: missing on the cluster → re-applied and recorded
// as drift; there after all → nothing written. (A double write here once failed the "each change
// applied once with two instances" test in CI.)
import { describe, expect, it } from '@jest/globals';
import type { EncryptionService } from '../../../src/common/crypto/encryption.service.js';
import type { TransactionHost } from '../../../src/database/prisma.service.js';
import type { KubeClients } from '../../../src/modules/clusters/kube/kube-clients.service.js';
import type { KubeObject } from '../../../src/modules/clusters/kube/kube-gateway.js';
import type { WorkQueueService } from '../../../src/modules/work-queue/work-queue.service.js';
import type { ClusterInformers, ClusterView } from '../../../src/modules/workloads/cluster-informers.service.js';
import { PlacementPort } from '../../../src/modules/workloads/placement.port.js';
import type { PullSecretPort } from '../../../src/modules/workloads/pull-secret.port.js';
import { entryOwnedHash, ReconcilerService } from '../../../src/modules/workloads/reconciler.service.js';
import type { ReleaseStatusWriter } from '../../../src/modules/workloads/release-status-writer.js';
import type { ReconcileContext, WorkloadsRepository } from '../../../src/modules/workloads/workloads.repository.js';
import { objectKey } from '../../../src/modules/workloads/drift.js';
import { FakeClusterFence } from '../fakes/cluster-fence.js';
import { aCluster, anEnvironmentState, FakeTransactionHost } from '../fakes/factories.js';

const cluster = aCluster({ name: 'eu-1' });

type Repo = Pick<WorkloadsRepository, 'loadReconcile' | 'recordApplied' | 'recordDrift' | 'recordSyncError'>;

/** A cluster that keeps what is applied, a cache of it that can miss objects, and the reconciler between them. */
function setUp() {
  const live = new Map<string, KubeObject>();
  const requests: string[] = [];
  const drift: string[] = [];
  let state = anEnvironmentState({ clusterId: cluster.id, clusterSelector: {}, desiredGeneration: 1, appliedGeneration: 0 });
  let recorded: string[] = [];
  const repository: Repo = {
    loadReconcile: async () => ({ state, cluster: { ...cluster }, releases: [], quota: null, hasRegistryLogins: false }) satisfies ReconcileContext,
    async recordApplied(records) {
      recorded = [...records[0]!.appliedObjects];
      return { held: new Set(records.map((r) => `${r.lease.clusterId}/${r.lease.epoch}`)), recorded: records.map((r) => r.environmentId), queued: [] };
    },
    async recordDrift(_teamId, _environmentId, key, kind) {
      drift.push(`${kind} ${key}`);
    },
    async recordSyncError() {},
  };
  const gateway = {
    async get(ref: KubeObject) {
      requests.push(`get ${ref.kind}`);
      return live.get(objectKey(ref)) ?? null;
    },
    async apply(object: KubeObject) {
      requests.push(`apply ${object.kind}`);
      live.set(objectKey(object), object);
    },
    async delete(ref: KubeObject) {
      requests.push(`delete ${ref.kind}`);
      live.delete(objectKey(ref));
    },
  };
  /** Keys of live objects the cache has not seen yet (a watch event still on its way). */
  const lagging = new Set<string>();
  const view: ClusterView = {
    get(ref) {
      const key = objectKey(ref);
      if (lagging.has(key) || !live.has(key)) return undefined;
      const entry = recorded.find((e) => e.startsWith(`${key}#`));
      return { h: entryOwnedHash(entry ?? '') ?? 'unknown', rv: '1', env: state.id };
    },
    applied: () => undefined,
    deleting: () => undefined,
  };
  const reconciler = new ReconcilerService(
    repository as WorkloadsRepository,
    { forCluster: () => gateway } as unknown as KubeClients,
    {} as EncryptionService,
    { specs: () => ({ json: '[]' }), resendDropped: async () => undefined } as unknown as WorkQueueService,
    new FakeTransactionHost() as unknown as TransactionHost,
    new (class extends PlacementPort {
      async choose(): Promise<{ clusterId: null; reason: string }> {
        return { clusterId: null, reason: 'unused' };
      }
    })(),
    {} as PullSecretPort,
    { settle: async () => true } as unknown as ReleaseStatusWriter,
    new FakeClusterFence(),
    { view: () => view } as unknown as ClusterInformers,
  );
  /** Applies generation 1, then leaves the environment up to date as the database would. */
  async function applied(): Promise<void> {
    await reconciler.reconcile(state.id, { resync: false });
    state = { ...state, appliedGeneration: 1, appliedObjects: recorded };
    requests.length = 0;
  }
  return { reconciler, live, lagging, requests, drift, applied, key: (kind: string) => [...live.keys()].find((k) => k.includes(`/${kind}/`))! };
}

describe('a resync against a cache that lags the cluster', () => {
  it('compares in-sync objects from the cache alone: no request', async () => {
    const t = setUp();
    await t.applied();
    expect(await t.reconciler.reconcile('env-1', { resync: true })).toEqual({ result: 'in-sync', writes: 0, drifted: [] });
    expect(t.requests).toEqual([]);
  });

  it('reads an object the cache does not show yet and, finding it as applied, writes nothing', async () => {
    const t = setUp();
    await t.applied();
    t.lagging.add(t.key('NetworkPolicy'));
    expect(await t.reconciler.reconcile('env-1', { resync: true })).toEqual({ result: 'in-sync', writes: 0, drifted: [] });
    expect(t.requests).toEqual(['get NetworkPolicy']);
    expect(t.drift).toEqual([]);
  });

  it('reads a namespace the cache does not show yet, and finding it, re-applies nothing in it', async () => {
    const t = setUp();
    await t.applied();
    t.lagging.add(t.key('Namespace'));
    expect(await t.reconciler.reconcile('env-1', { resync: true })).toEqual({ result: 'in-sync', writes: 0, drifted: [] });
    expect(t.requests).toEqual(['get Namespace', 'get Namespace']);
    expect(t.drift).toEqual([]);
  });

  it('re-applies an object deleted by hand, once, and records the drift', async () => {
    const t = setUp();
    await t.applied();
    const policy = t.key('NetworkPolicy');
    t.live.delete(policy);
    expect(await t.reconciler.reconcile('env-1', { resync: true })).toEqual({ result: 'repaired', writes: 1, drifted: [policy] });
    expect(t.requests).toEqual(['get NetworkPolicy', 'apply NetworkPolicy']);
    expect(t.drift).toEqual([`repaired ${policy}`]);
  });

  it('re-creates a namespace deleted by hand with everything in it, without reading each object', async () => {
    const t = setUp();
    await t.applied();
    const objects = t.live.size;
    const namespace = t.key('Namespace');
    t.live.clear();
    const outcome = await t.reconciler.reconcile('env-1', { resync: true });
    expect(outcome.result).toBe('repaired');
    expect(outcome.writes).toBe(objects);
    expect(t.requests.filter((r) => r.startsWith('get'))).toEqual(['get Namespace']);
    expect(t.drift).toEqual([`recreated ${namespace}`]);
  });
});
