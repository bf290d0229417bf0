// A newcomer's Berth has no cluster to deploy to. When none is registered, Berth starts a sandbox
// cluster (an in-process Kubernetes API emulator) and registers it under a name nobody will take
// for a real cluster, so `npm start` → create app → deploy works at once. Real clusters are
// registered through /v1/clusters; once one exists, no sandbox is started.
import { join } from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import { TransactionHost } from '../database/prisma.service.js';
import { ClustersRepository } from '../modules/clusters/clusters.repository.js';
import { KubeClients } from '../modules/clusters/kube/kube-clients.service.js';
import { startSandboxCluster, type SandboxCluster } from '@berth/sandbox';

export const SANDBOX_CLUSTER_NAME = 'sandbox-not-a-real-cluster';

export async function startSandboxIfNoCluster(app: INestApplicationContext, dataDir: string): Promise<SandboxCluster | undefined> {
  const clusters = app.get(ClustersRepository);
  const existing = await clusters.findByRef(SANDBOX_CLUSTER_NAME);
  if (!existing && (await clusters.count()) > 0) return undefined;
  // Its objects live under the data folder, so a restarted Berth finds what it applied; the
  // sandbox listens again on the port it had (the kubeconfig a user exported stays valid), or on
  // any free port when that one is taken.
  const sandbox = await startSandboxCluster({ name: SANDBOX_CLUSTER_NAME, kubeconfigPath: join(dataDir, `${SANDBOX_CLUSTER_NAME}.kubeconfig`), dataDir: join(dataDir, 'sandbox-cluster') });
  const kube = app.get(KubeClients);
  const credentials = { kind: 'kubeconfig' as const, kubeconfig: sandbox.kubeconfig };
  await app.get(TransactionHost).run(async () => {
    if (existing) {
      // Point the record at the restarted sandbox (its port may have changed); the start-up
      // resync then compares every environment with what the sandbox holds and repairs it.
      await clusters.replaceConnection(existing.id, sandbox.url, kube.sealCredentials(SANDBOX_CLUSTER_NAME, credentials));
    } else {
      await clusters.create({
        name: SANDBOX_CLUSTER_NAME,
        apiUrl: sandbox.url,
        credentialsCiphertext: kube.sealCredentials(SANDBOX_CLUSTER_NAME, credentials),
        labels: { 'berth.dev/sandbox': 'true' },
        sandbox: true,
        ingressClassName: null,
      });
    }
  });
  return sandbox;
}
