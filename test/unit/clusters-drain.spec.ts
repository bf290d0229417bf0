// ClustersService.drain with typed fakes of its ports: no Prisma, no HTTP, no cluster.
import { describe, expect, it } from '@jest/globals';
import { DomainError } from '../../src/common/errors/domain-error.js';
import type { ClusterProbe } from '../../src/modules/clusters/cluster-probe.js';
import { ClustersService } from '../../src/modules/clusters/clusters.service.js';
import { PlacementService } from '../../src/modules/clusters/placement.service.js';
import type { KubeClients } from '../../src/modules/clusters/kube/kube-clients.service.js';
import { RecordingAuditNotes } from './fakes/audit-notes.js';
import { RecordingEnvironmentEvents } from './fakes/environment-events.js';
import { FakeClustersRepository, RecordingMover, type PlacedEnvironment } from './fakes/clusters.js';
import { aCluster, aMember, anAdmin, FakeTransactionHost } from './fakes/factories.js';

function setUp(clusters: ReturnType<typeof aCluster>[], environments: PlacedEnvironment[]) {
  const repository = new FakeClustersRepository(clusters, environments);
  const mover = new RecordingMover();
  const tx = new FakeTransactionHost();
  const notes = new RecordingAuditNotes();
  const placement = new PlacementService(repository.asRepository());
  // drain needs neither the Kubernetes clients nor the probe: they stay unset.
  const events = new RecordingEnvironmentEvents();
  const service = new ClustersService(repository.asRepository(), {} as KubeClients, {} as ClusterProbe, tx.asHost(), mover, placement, notes, events);
  return { service, repository, mover, tx, notes, events };
}

const env = (id: string, clusterId: string, clusterSelector: Record<string, string> = {}): PlacedEnvironment => ({ id, teamId: 'team-1', clusterId, clusterSelector, namespace: `app-${id}` });

describe('ClustersService.drain', () => {
  it('cordons the cluster and moves each environment to the least loaded match, telling the mover', async () => {
    const old = aCluster({ name: 'old' });
    const busy = aCluster({ name: 'busy' });
    const idle = aCluster({ name: 'idle' });
    const { service, repository, mover, tx, notes } = setUp([old, busy, idle], [env('e1', old.id), env('e2', old.id), env('b1', busy.id), env('b2', busy.id)]);

    const result = await service.drain(anAdmin(), 'old');

    expect(result).toMatchObject({ moved: 2, stranded: 0, cluster: { name: 'old', cordoned: true, environments: 0 } });
    // Load counts include the environments already moved: the first goes to idle (0), then idle
    // has 1 against busy's 2, so the second goes there too.
    expect(repository.environments.filter((e) => e.id.startsWith('e')).map((e) => e.clusterId)).toEqual([idle.id, idle.id]);
    expect(mover.moves).toEqual([
      { environmentId: 'e1', fromClusterId: old.id },
      { environmentId: 'e2', fromClusterId: old.id },
    ]);
    expect(tx.transactions).toBe(1);
    // The audit event says what the drain did.
    expect(notes.changes).toEqual([{ before: { cordoned: false }, after: { cordoned: true, moved: 2, stranded: 0 } }]);
  });

  it('leaves environments no other cluster can take where they are, counted as stranded', async () => {
    const old = aCluster({ name: 'old-gpu', labels: { gpu: 'yes' } });
    const plain = aCluster({ name: 'plain' });
    const cordoned = aCluster({ name: 'other-gpu', labels: { gpu: 'yes' }, cordoned: true });
    const { service, repository, mover } = setUp([old, plain, cordoned], [env('g1', old.id, { gpu: 'yes' }), env('p1', old.id)]);

    const result = await service.drain(anAdmin(), old.id);

    expect(result).toMatchObject({ moved: 1, stranded: 1 });
    expect(repository.environments.find((e) => e.id === 'g1')!.clusterId).toBe(old.id);
    expect(repository.environments.find((e) => e.id === 'p1')!.clusterId).toBe(plain.id);
    expect(mover.moves.map((m) => m.environmentId)).toEqual(['p1']);
  });

  it('refuses anyone but a platform admin before touching anything', async () => {
    const old = aCluster({ name: 'old' });
    const { service, repository, mover } = setUp([old, aCluster()], [env('e1', old.id)]);

    await expect(service.drain(aMember(), 'old')).rejects.toBeInstanceOf(DomainError);
    expect(old.cordoned).toBe(false);
    expect(repository.environments[0]!.clusterId).toBe(old.id);
    expect(mover.moves).toEqual([]);
  });

  it('answers not found for an unknown cluster', async () => {
    const { service } = setUp([aCluster()], []);
    await expect(service.drain(anAdmin(), 'nowhere')).rejects.toMatchObject({ code: 'not-found' });
  });
});
