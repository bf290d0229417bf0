// Gateways to registered clusters, built from their decrypted credentials and cached per cluster
// version (re-registering credentials bumps the version and so replaces the client).
import { Inject, Injectable, Optional } from '@nestjs/common';
import { MetricsService } from '../../../common/metrics/metrics.service.js';
import { BERTH_CONFIG, type BerthConfig } from '../../../config/config.js';
import { EncryptionService } from '../../../common/crypto/encryption.service.js';
import type { ClusterRecord } from '../clusters.repository.js';
import { toKubeConfig, type ClusterCredentials } from './kube-credentials.js';
import { DEFAULT_GATEWAY_OPTIONS, KubeGateway, type GatewayOptions } from './kube-gateway.js';

@Injectable()
export class KubeClients {
  private readonly gateways = new Map<string, { version: number; gateway: KubeGateway }>();
  private options: GatewayOptions = DEFAULT_GATEWAY_OPTIONS;

  constructor(
    private readonly encryption: EncryptionService,
    @Optional() metrics?: MetricsService,
    @Optional() @Inject(BERTH_CONFIG) config?: BerthConfig,
  ) {
    this.options = {
      ...this.options,
      ...(config ? { maxConcurrency: config.kubeMaxConcurrency } : {}),
      ...(metrics ? { observe: (e) => metrics.observeKubeRequest({ cluster: e.cluster, verb: e.verb, code: e.status }, e.seconds) } : {}),
    };
  }

  /** Credentials are encrypted with the (immutable) cluster name as associated data: a ciphertext cannot be moved between rows. */
  sealCredentials(clusterName: string, credentials: ClusterCredentials): string {
    return this.encryption.encryptJson(credentials, `cluster:${clusterName}`);
  }

  openCredentials(cluster: Pick<ClusterRecord, 'name' | 'credentialsCiphertext'>): ClusterCredentials {
    return this.encryption.decryptJson<ClusterCredentials>(cluster.credentialsCiphertext, `cluster:${cluster.name}`);
  }

  forCluster(cluster: Pick<ClusterRecord, 'id' | 'name' | 'version' | 'credentialsCiphertext'>): KubeGateway {
    const cached = this.gateways.get(cluster.id);
    if (cached && cached.version === cluster.version) return cached.gateway;
    const gateway = new KubeGateway(cluster.name, toKubeConfig(cluster.name, this.openCredentials(cluster)), this.options);
    this.gateways.set(cluster.id, { version: cluster.version, gateway });
    return gateway;
  }

  /** A gateway for credentials not stored yet (registration probes before saving). */
  probeGateway(name: string, credentials: ClusterCredentials): KubeGateway {
    return new KubeGateway(name, toKubeConfig(name, credentials), { ...this.options, maxAttempts: 1 });
  }
}
