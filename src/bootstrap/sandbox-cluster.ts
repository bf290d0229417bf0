// A newcomer's Berth has no cluster to deploy to. When none is registered, Berth starts a sandbox
// cluster (an in-process Kubernetes API emulator) and registers it under a name nobody will take
// for a real cluster, so `npm start` → create app → deploy works at once. Real clusters are
// registered through /v1/clusters; once one exists, no sandbox is started.
import { join } from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import { ClustersService } from '../modules/clusters/clusters.service.js';
import { startSandboxCluster, type SandboxCluster } from '@berth/sandbox';

export const SANDBOX_CLUSTER_NAME = 'sandbox-not-a-real-cluster';

export async function startSandboxIfNoCluster(app: INestApplicationContext, dataDir: string): Promise<SandboxCluster | undefined> {
  const clusters = app.get(ClustersService);
  if (!(await clusters.sandboxWanted(SANDBOX_CLUSTER_NAME))) return undefined;
  // Its objects live under the data folder, so a restarted Berth finds what it applied; the
  // sandbox listens again on the port it had (the kubeconfig a user exported stays valid), or on
  // any free port when that one is taken.
  const sandbox = await startSandboxCluster({ name: SANDBOX_CLUSTER_NAME, kubeconfigPath: join(dataDir, `${SANDBOX_CLUSTER_NAME}.kubeconfig`), dataDir: join(dataDir, 'sandbox-cluster') });
  await clusters.registerSandbox(SANDBOX_CLUSTER_NAME, sandbox.url, sandbox.kubeconfig);
  return sandbox;
}
