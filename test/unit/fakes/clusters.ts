// An in-memory ClustersRepository holding what ClustersService.drain reads and writes, and an
// EnvironmentMover that records each move. Typed against the real classes so a renamed or changed
// method breaks the fake at compile time.
import type { ClusterRecord, ClustersRepository } from '../../../src/modules/clusters/clusters.repository.js';
import { EnvironmentMover, type MovedEnvironment } from '../../../src/modules/clusters/environment-mover.port.js';

export interface PlacedEnvironment {
  id: string;
  teamId: string;
  clusterId: string;
  clusterSelector: Record<string, string>;
  namespace: string;
}

type DrainReads = Pick<ClustersRepository, 'findByRef' | 'findById' | 'all' | 'update' | 'environmentCounts' | 'environmentsOn' | 'moveEnvironment'>;

export class FakeClustersRepository implements DrainReads {
  constructor(
    readonly clusters: ClusterRecord[],
    readonly environments: PlacedEnvironment[] = [],
  ) {}

  // Reads answer copies, as the database does: a record read before an update keeps its old values.
  async findByRef(ref: string): Promise<ClusterRecord | null> {
    const cluster = this.clusters.find((c) => c.id === ref || c.name === ref);
    return cluster ? { ...cluster } : null;
  }
  async findById(id: string): Promise<ClusterRecord | null> {
    const cluster = this.clusters.find((c) => c.id === id);
    return cluster ? { ...cluster } : null;
  }
  async all(): Promise<ClusterRecord[]> {
    return [...this.clusters];
  }
  async update(id: string, data: Partial<Pick<ClusterRecord, 'cordoned' | 'ingressClassName'>> & { labels?: Record<string, string> }): Promise<ClusterRecord | null> {
    const cluster = this.clusters.find((c) => c.id === id);
    if (!cluster) return null;
    Object.assign(cluster, data, { version: cluster.version + 1 });
    return cluster;
  }
  async environmentCounts(): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    for (const env of this.environments) counts.set(env.clusterId, (counts.get(env.clusterId) ?? 0) + 1);
    return counts;
  }
  async environmentsOn(clusterId: string): Promise<Array<{ id: string; teamId: string; clusterSelector: unknown; namespace: string }>> {
    return this.environments.filter((e) => e.clusterId === clusterId).map(({ id, teamId, clusterSelector, namespace }) => ({ id, teamId, clusterSelector, namespace }));
  }
  async moveEnvironment(_teamId: string, environmentId: string, clusterId: string): Promise<void> {
    this.environments.find((e) => e.id === environmentId)!.clusterId = clusterId;
  }
  asRepository(): ClustersRepository {
    return this as unknown as ClustersRepository;
  }
}

export class RecordingMover extends EnvironmentMover {
  readonly moves: Array<{ environmentId: string; fromClusterId: string }> = [];
  async moved(environment: MovedEnvironment, fromClusterId: string): Promise<void> {
    this.moves.push({ environmentId: environment.id, fromClusterId });
  }
}
