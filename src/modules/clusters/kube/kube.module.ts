import { Module } from '@nestjs/common';
import { ClustersRepository } from '../clusters.repository.js';
import { ClusterConnections } from './cluster-connections.service.js';
import { KubeClients } from './kube-clients.service.js';

/** The Kubernetes edge: cluster records and the gateways built from them. */
@Module({ providers: [ClustersRepository, KubeClients, ClusterConnections], exports: [ClustersRepository, KubeClients, ClusterConnections] })
export class KubeModule {}
