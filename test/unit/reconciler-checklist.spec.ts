// The reconciler's checklist up to the cluster, with typed fakes of its ports and repository: a
// missing environment, deletion before placement, no matching cluster (with the reason, retried),
// placement then continuing, nothing to do, and a security profile the cluster refuses. No Prisma,
// no HTTP: the gateway is never asked for in these steps.
import { describe, expect, it } from '@jest/globals';
import type { EncryptionService } from '../../src/common/crypto/encryption.service.js';
import type { TransactionHost } from '../../src/database/prisma.service.js';
import type { ClusterRecord } from '../../src/modules/clusters/clusters.repository.js';
import type { KubeClients } from '../../src/modules/clusters/kube/kube-clients.service.js';
import { RetryLater, type WorkQueueService } from '../../src/modules/work-queue/work-queue.service.js';
import { PlacementPort } from '../../src/modules/workloads/placement.port.js';
import type { PullSecretPort } from '../../src/modules/workloads/pull-secret.port.js';
import { RECONCILE_TASK, ReconcilerService } from '../../src/modules/workloads/reconciler.service.js';
import type { ClusterInformers } from '../../src/modules/workloads/cluster-informers.service.js';
import type { ReleaseStatusWriter } from '../../src/modules/workloads/release-status-writer.js';
import { ALLOW_ROOT_LABEL } from '../../src/modules/workloads/render/security.js';
import type { EnvironmentState, ReleaseState, WorkloadsRepository } from '../../src/modules/workloads/workloads.repository.js';
import { aCluster, anEnvironmentState, FakeTransactionHost } from './fakes/factories.js';
import { FakeClusterFence } from './fakes/cluster-fence.js';
import { NotClusterOwner } from '../../src/modules/workloads/cluster-fence.port.js';

const release: ReleaseState = { id: 'rel-1', number: 3, image: 'registry.example.com/shop/web:3', configCiphertext: '', phase: 'pending', reason: null, createdAt: new Date() };

type Repo = Pick<WorkloadsRepository, 'loadReconcile' | 'setCluster' | 'newestRelease' | 'deleteEnvironmentRecord' | 'clusterOf'>;

function setUp(options: { state: EnvironmentState | null; clusters?: ClusterRecord[]; placeOn?: string | null; owned?: ReadonlySet<string> }) {
  const log: string[] = [];
  let state = options.state;
  const repository: Repo = {
    loadReconcile: async () => (state ? { state, cluster: (options.clusters ?? []).find((c) => c.id === state!.clusterId) ?? null, releases: [release], quota: null, hasRegistryLogins: false } : null),
    async setCluster(_teamId, _environmentId, clusterId) {
      log.push(`setCluster ${clusterId}`);
      state = { ...state!, clusterId };
    },
    newestRelease: async () => release,
    async deleteEnvironmentRecord(_teamId, environmentId) {
      log.push(`forget ${environmentId}`);
    },
    clusterOf: (async (id: string) => (options.clusters ?? []).find((c) => c.id === id) ?? null) as Repo['clusterOf'],
  };
  const placement = new (class extends PlacementPort {
    async choose(): Promise<{ clusterId: string } | { clusterId: null; reason: string }> {
      log.push('place');
      return options.placeOn ? { clusterId: options.placeOn } : { clusterId: null, reason: 'no cluster matches selector {region: eu}' };
    }
  })();
  const queue: Pick<WorkQueueService, 'enqueue'> = {
    async enqueue(task, payload) {
      log.push(`enqueue ${task} attempt=${String(payload.attempt)}`);
    },
  };
  const status: Pick<ReleaseStatusWriter, 'settle'> = {
    async settle(_state, newest, phase) {
      log.push(`settle v${newest?.number ?? '-'} ${phase.phase} ${phase.reason ?? ''}`.trim());
      return true;
    },
  };
  // Asked for only once a cluster is known; these steps never send it a request.
  const clients: Pick<KubeClients, 'forCluster'> = {
    forCluster: (cluster) => {
      log.push(`gateway ${cluster.name}`);
      // Only the namespace read, answering a namespace someone is deleting by hand.
      const get = async (ref: { metadata: { name: string } }) => {
        log.push(`get namespace ${ref.metadata.name}`);
        return { metadata: { name: ref.metadata.name, deletionTimestamp: '2026-01-01T00:00:00Z' } };
      };
      return { get } as unknown as ReturnType<KubeClients['forCluster']>;
    },
  };
  const reconciler = new ReconcilerService(
    repository as WorkloadsRepository,
    clients as KubeClients,
    {} as EncryptionService,
    queue as WorkQueueService,
    new FakeTransactionHost() as unknown as TransactionHost,
    placement,
    {} as PullSecretPort,
    status as ReleaseStatusWriter,
    new FakeClusterFence(options.owned),
    { view: () => null } as unknown as ClusterInformers,
  );
  return { reconciler, log };
}

describe('the reconciler checklist', () => {
  it('does nothing for an environment that no longer exists', async () => {
    const { reconciler, log } = setUp({ state: null });
    expect(await reconciler.reconcile('env-1', { resync: false })).toEqual({ result: 'missing', writes: 0, drifted: [] });
    expect(log).toEqual([]);
  });

  it('forgets an environment deleted before it was ever placed, without placing it', async () => {
    const { reconciler, log } = setUp({ state: anEnvironmentState({ state: 'deleting' }) });
    expect((await reconciler.reconcile('env-1', { resync: false })).result).toBe('deleted');
    expect(log).toEqual(['forget env-1']);
  });

  it('with no matching cluster, says why on the newest release and retries later with a growing attempt', async () => {
    const { reconciler, log } = setUp({ state: anEnvironmentState() });
    expect((await reconciler.reconcile('env-1', { resync: false, attempt: 2 })).result).toBe('unplaced');
    expect(log).toEqual(['place', 'settle v3 pending no_matching_cluster', `enqueue ${RECONCILE_TASK} attempt=3`]);
  });

  it('records the placement, then goes on with the placed environment (here: already applied, nothing to do)', async () => {
    const eu = aCluster({ name: 'eu-1' });
    const { reconciler, log } = setUp({ state: anEnvironmentState({ desiredGeneration: 1, appliedGeneration: 1 }), clusters: [eu], placeOn: eu.id });
    expect(await reconciler.reconcile('env-1', { resync: false })).toEqual({ result: 'in-sync', writes: 0, drifted: [] });
    expect(log).toEqual(['place', `setCluster ${eu.id}`, 'gateway eu-1']);
  });

  it('refuses a security profile the cluster does not allow, failing the newest release with the reason', async () => {
    const strict = aCluster({ name: 'strict' });
    const { reconciler, log } = setUp({ state: anEnvironmentState({ clusterId: strict.id, securityProfile: 'root' }), clusters: [strict] });
    expect((await reconciler.reconcile('env-1', { resync: false })).result).toBe('refused');
    expect(log).toEqual(['gateway strict', 'settle v3 failed security_profile_not_allowed']);
  });

  it('lets the same profile through where the admin allows it; a namespace being deleted by hand waits, with the reason', async () => {
    const lenient = aCluster({ name: 'lenient', labels: { [ALLOW_ROOT_LABEL]: 'true' } });
    const { reconciler, log } = setUp({ state: anEnvironmentState({ clusterId: lenient.id, securityProfile: 'root' }), clusters: [lenient] });
    await expect(reconciler.reconcile('env-1', { resync: false })).rejects.toBeInstanceOf(RetryLater);
    expect(log).toEqual(['gateway lenient', 'get namespace shop-prod', 'settle v3 applying namespace_terminating']);
  });

  it("leaves a cluster another replica owns alone: back to the queue (for the owner) before any request", async () => {
    const theirs = aCluster({ name: 'theirs' });
    const { reconciler, log } = setUp({ state: anEnvironmentState({ clusterId: theirs.id }), clusters: [theirs], owned: new Set() });
    const error = await reconciler.reconcile('env-1', { resync: false }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotClusterOwner);
    expect((error as NotClusterOwner).afterMs).toBe(0);
    expect(log).toEqual([]);
  });
});
