// Watches what Berth created: one watch per cluster on Berth-managed Deployments and Pods. Any
// change there queues a status look for its environment at once (the observer's own polling is
// only the fallback). Watches that end — a dropped connection, a 410 Gone, a cluster going down —
// are restarted after a short, growing pause.
import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { BERTH_CONFIG, type BerthConfig } from '../../config/config.js';
import { ClustersRepository } from '../clusters/clusters.repository.js';
import { KubeClients } from '../clusters/kube/kube-clients.service.js';
import { WorkQueueService } from '../work-queue/work-queue.service.js';
import { OBSERVE_TASK, RECONCILE_TASK } from './reconciler.service.js';
import { WorkloadsRepository } from './workloads.repository.js';
import { ClusterOwnership } from './cluster-ownership.port.js';

const WATCHED = [
  { path: '/apis/apps/v1/deployments', kind: 'Deployment' },
  { path: '/api/v1/pods', kind: 'Pod' },
] as const;
const SELECTOR = 'app.kubernetes.io/managed-by=berth';

@Injectable()
export class StatusWatcherService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('StatusWatcher');
  private readonly watches = new Map<string, { version: number; aborters: AbortController[] }>();
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private readonly pending = new Set<string>();

  constructor(
    private readonly clusters: ClustersRepository,
    private readonly clients: KubeClients,
    private readonly queue: WorkQueueService,
    private readonly workloads: WorkloadsRepository,
    @Inject(BERTH_CONFIG) private readonly config: BerthConfig,
    private readonly ownership: ClusterOwnership,
  ) {}

  onModuleInit(): void {
    if (!this.config.workersEnabled) return;
    // New clusters are picked up within a few seconds; changed credentials restart their watches.
    this.timer = setInterval(() => void this.sync().catch((err: unknown) => this.logger.warn({ err }, 'watch sync failed')), 3000);
    this.timer.unref();
    // Only the clusters this replica owns are watched: follow ownership as it moves.
    this.ownership.onChange(() => void this.sync().catch(() => undefined));
    void this.sync().catch(() => undefined);
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    for (const w of this.watches.values()) w.aborters.forEach((a) => a.abort());
    this.watches.clear();
  }

  async sync(): Promise<void> {
    if (this.stopped) return;
    const owned = this.ownership.owned();
    const clusters = (await this.clusters.all()).filter((c) => owned.has(c.id));
    // A cluster Berth has not seen yet (or one whose labels or cordon changed) may be the one an
    // unplaced environment waits for: try placing those now rather than at their next retry.
    if (clusters.some((c) => this.watches.get(c.id)?.version !== c.version)) await this.placeWaiting();
    for (const cluster of clusters) {
      const current = this.watches.get(cluster.id);
      if (current && current.version === cluster.version) continue;
      current?.aborters.forEach((a) => a.abort());
      const entry = { version: cluster.version, aborters: [] as AbortController[] };
      this.watches.set(cluster.id, entry);
      for (const resource of WATCHED) void this.watch(cluster.id, resource.path, entry, 0);
    }
    for (const [id, entry] of this.watches) {
      if (!clusters.some((c) => c.id === id)) {
        entry.aborters.forEach((a) => a.abort());
        this.watches.delete(id);
      }
    }
  }

  private async watch(clusterId: string, path: string, entry: { version: number; aborters: AbortController[] }, failures: number): Promise<void> {
    if (this.stopped || this.watches.get(clusterId) !== entry) return;
    const cluster = await this.clusters.findById(clusterId);
    if (!cluster) return;
    const gateway = this.clients.forCluster(cluster);
    const restart = (error: unknown) => {
      if (this.stopped || this.watches.get(clusterId) !== entry) return;
      const delay = Math.min(30_000, 500 * 2 ** Math.min(failures, 6));
      if (error) this.logger.debug({ cluster: cluster.name, path, err: error }, 'watch ended; restarting');
      setTimeout(() => void this.watch(clusterId, path, entry, error ? failures + 1 : 0), error ? delay : 100).unref();
    };
    try {
      const aborter = await gateway.watch(path, { labelSelector: SELECTOR, allowWatchBookmarks: true }, (_type, object) => this.touched(object.metadata.labels?.['berth.dev/environment-id']), restart);
      entry.aborters.push(aborter);
    } catch (error) {
      restart(error);
    }
  }

  private async placeWaiting(): Promise<void> {
    for (const environmentId of await this.workloads.unplacedEnvironmentIds()) {
      await this.queue.enqueue(RECONCILE_TASK, { environmentId, resync: true, jobKey: `reconcile:${environmentId}` }, { jobKey: `reconcile:${environmentId}` });
    }
  }

  /** Coalesces bursts (a rollout changes many pods) into one queued look per environment. */
  private touched(environmentId: string | undefined): void {
    if (!environmentId || this.pending.has(environmentId)) return;
    this.pending.add(environmentId);
    setTimeout(() => {
      this.pending.delete(environmentId);
      void this.queue
        .enqueue(OBSERVE_TASK, { environmentId, jobKey: `observe:${environmentId}` }, { jobKey: `observe:${environmentId}` })
        .catch((err: unknown) => this.logger.warn({ err, environmentId }, 'could not queue a status look'));
    }, 100).unref();
  }
}
