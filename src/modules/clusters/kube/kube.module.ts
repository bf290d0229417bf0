import { Module } from '@nestjs/common';
import { ClustersRepository } from '../clusters.repository.js';
import { KubeClients } from './kube-clients.service.js';

/** The Kubernetes edge: cluster records and the gateways built from them. */
@Module({ providers: [ClustersRepository, KubeClients], exports: [ClustersRepository, KubeClients] })
export class KubeModule {}
