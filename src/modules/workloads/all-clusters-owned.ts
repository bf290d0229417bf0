// The ClusterOwnership of a replica that shares clusters with nobody: it owns every registered
// cluster. Replaced by the cluster-leases module when replicas divide the clusters between them.
import { Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { ClusterConnections } from '../clusters/kube/cluster-connections.service.js';
import { ClusterOwnership } from './cluster-ownership.port.js';

@Injectable()
export class AllClustersOwned extends ClusterOwnership implements OnModuleInit, OnApplicationShutdown {
  private current: ReadonlySet<string> = new Set();
  private readonly listeners = new Set<(owned: ReadonlySet<string>) => void>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly connections: ClusterConnections) {
    super();
  }

  /** Known before anything starts (the start-up resync covers every cluster). */
  async onModuleInit(): Promise<void> {
    await this.refresh();
  }

  owned(): ReadonlySet<string> {
    return this.current;
  }

  onChange(listener: (owned: ReadonlySet<string>) => void): () => void {
    this.listeners.add(listener);
    if (!this.timer) {
      // Clusters registered or removed are noticed within a few seconds.
      this.timer = setInterval(() => void this.refresh(), 3000);
      this.timer.unref();
      void this.refresh();
    }
    return () => this.listeners.delete(listener);
  }

  async refresh(): Promise<void> {
    let ids: string[];
    try {
      ids = (await this.connections.all()).map((c) => c.id);
    } catch {
      return;
    }
    if (ids.length === this.current.size && ids.every((id) => this.current.has(id))) return;
    this.current = new Set(ids);
    for (const listener of this.listeners) listener(this.current);
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }
}
