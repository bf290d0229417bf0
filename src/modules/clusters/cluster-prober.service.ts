// Probes every registered cluster periodically (in parallel, each bounded), so the API shows
// reachability and version, and placement prefers clusters that answer.
import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { BERTH_CONFIG, type BerthConfig } from '../../config/config.js';
import { ClusterProbe } from './cluster-probe.js';
import { ClustersRepository } from './clusters.repository.js';
import { KubeClients } from './kube/kube-clients.service.js';

@Injectable()
export class ClusterProberService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('ClusterProber');
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly clusters: ClustersRepository,
    private readonly kube: KubeClients,
    private readonly probe: ClusterProbe,
    @Inject(BERTH_CONFIG) private readonly config: BerthConfig,
  ) {}

  onModuleInit(): void {
    if (!this.config.workersEnabled) return;
    this.timer = setInterval(() => void this.probeAll().catch((err: unknown) => this.logger.warn({ err }, 'probing failed')), this.config.clusterProbeIntervalMs);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  async probeAll(): Promise<void> {
    const clusters = await this.clusters.all();
    await Promise.all(
      clusters.map(async (cluster) => {
        const result = await this.probe.run(this.kube.forCluster(cluster));
        await this.clusters.recordProbe(cluster.id, result);
      }),
    );
  }
}
