// Probes every registered cluster periodically (in parallel, each bounded), so the API shows
// reachability and version, and placement prefers clusters that answer.
import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { BERTH_CONFIG, type BerthConfig } from '../../config/config.js';
import { ClusterProbe, type ProbeResult } from './cluster-probe.js';
import { ClustersRepository, type ClusterRecord } from './clusters.repository.js';
import { KubeClients } from './kube/kube-clients.service.js';

@Injectable()
export class ClusterProberService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('ClusterProber');
  private timer: NodeJS.Timeout | undefined;
  private round: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly clusters: ClustersRepository,
    private readonly kube: KubeClients,
    private readonly probe: ClusterProbe,
    @Inject(BERTH_CONFIG) private readonly config: BerthConfig,
  ) {}

  onModuleInit(): void {
    if (!this.config.workersEnabled) return;
    this.timer = setInterval(() => this.tick(), this.config.clusterProbeIntervalMs);
    // The timer alone must not keep the process alive (tools, tests, a shutdown in progress).
    this.timer.unref();
  }

  /** No new round starts; the running one (bounded by the probe timeout) finishes before the pool closes. */
  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.round;
  }

  /** A round that outlasts the interval is not doubled: the next tick is skipped instead. */
  private tick(): void {
    if (this.stopped || this.round) return;
    this.round = this.probeAll()
      .catch((err: unknown) => this.logger.warn(`probing clusters failed: ${err instanceof Error ? err.message : String(err)}`))
      .finally(() => {
        this.round = undefined;
      });
  }

  /** Probes every cluster at once; a failing or slow cluster costs only its own bounded probe. */
  async probeAll(): Promise<void> {
    const clusters = await this.clusters.all();
    const outcomes = await Promise.allSettled(clusters.map(async (cluster) => this.clusters.recordProbe(cluster.id, await this.probeOne(cluster))));
    for (const [i, outcome] of outcomes.entries()) {
      // Typically the cluster was deleted meanwhile; the others are recorded regardless.
      if (outcome.status === 'rejected') this.logger.warn(`recording the probe of cluster ${clusters[i]!.name} failed: ${outcome.reason instanceof Error ? outcome.reason.message : String(outcome.reason)}`);
    }
  }

  private async probeOne(cluster: ClusterRecord): Promise<ProbeResult> {
    try {
      return await this.probe.run(this.kube.forCluster(cluster));
    } catch {
      // Building the client failed (e.g. credentials sealed with a key no longer configured). The
      // cause is not copied: the error could quote what it failed to parse.
      return { reachable: false, serverVersion: null, lastError: 'the stored credentials cannot be used (check the encryption keys, or register the cluster again)' };
    }
  }
}
