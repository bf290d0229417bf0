// The registered clusters as the Kubernetes edge sees them: id, name, version and a gateway. What
// watches clusters (the workloads module's informers, cluster ownership) reads clusters here
// rather than from the clusters table.
import { Injectable } from '@nestjs/common';
import { ClustersRepository } from '../clusters.repository.js';
import { KubeClients } from './kube-clients.service.js';
import type { KubeGateway } from './kube-gateway.js';

export interface ClusterConnection {
  id: string;
  name: string;
  /** Bumped when the cluster's credentials, labels or cordon change. */
  version: number;
  gateway: KubeGateway;
}

@Injectable()
export class ClusterConnections {
  constructor(
    private readonly clusters: ClustersRepository,
    private readonly clients: KubeClients,
  ) {}

  async all(): Promise<ClusterConnection[]> {
    return (await this.clusters.all()).map((c) => ({ id: c.id, name: c.name, version: c.version, gateway: this.clients.forCluster(c) }));
  }

  async byId(id: string): Promise<ClusterConnection | null> {
    const c = await this.clusters.findById(id);
    return c ? { id: c.id, name: c.name, version: c.version, gateway: this.clients.forCluster(c) } : null;
  }
}
