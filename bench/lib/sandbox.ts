// Sandbox clusters for the Kubernetes rows: fast simulated rollouts, registered with a Berth.
import { TransactionHost } from '../../src/database/prisma.service.js';
import { ClustersRepository } from '../../src/modules/clusters/clusters.repository.js';
import { KubeClients } from '../../src/modules/clusters/kube/kube-clients.service.js';
import { startSandboxCluster, type SandboxCluster } from '@berth/sandbox';
import type { InProcessBerth } from './berth.js';
import { query } from './postgres.js';

export async function newSandbox(name: string, latencyMs = 0): Promise<SandboxCluster> {
  return startSandboxCluster({ name, rolloutDelayMs: 20, timeFactor: 0.002, namespaceTerminationMs: 50, logIntervalMs: 50, faults: { latencyMs } });
}

/** Registers through the API when it serves /v1/clusters, else through the repository (as the tests do). */
export async function registerCluster(berth: InProcessBerth, sandbox: SandboxCluster): Promise<string> {
  const res = await fetch(`${berth.url}/v1/clusters`, {
    method: 'POST',
    headers: { authorization: `Bearer ${berth.adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: sandbox.name, kubeconfig: sandbox.kubeconfig, labels: {} }),
  });
  if (res.status === 201) return ((await res.json()) as { id: string }).id;
  if (res.status !== 404) throw new Error(`registering ${sandbox.name}: ${res.status} ${await res.text()}`);
  const app = berth.server.app;
  const kube = app.get(KubeClients);
  const record = await app.get(TransactionHost).run(() =>
    app.get(ClustersRepository).create({
      name: sandbox.name,
      apiUrl: sandbox.url,
      credentialsCiphertext: kube.sealCredentials(sandbox.name, { kind: 'kubeconfig', kubeconfig: sandbox.kubeconfig }),
      labels: {},
      sandbox: true,
      ingressClassName: null,
    }),
  );
  await app.get(ClustersRepository).recordProbe(record.id, { reachable: true, serverVersion: null, lastError: null });
  return record.id;
}

export interface SyncState {
  id: string;
  applied: number;
  desired: number;
}

export async function syncStates(databaseUrl: string, ids: string[]): Promise<SyncState[]> {
  return query<SyncState>(databaseUrl, 'SELECT id, applied_generation AS applied, desired_generation AS desired FROM environments WHERE id = ANY($1::uuid[])', [ids]);
}

/** Polls (every `everyMs`, one query) until every environment's applied generation reaches `atLeast` (or its desired one). */
export async function waitApplied(databaseUrl: string, ids: string[], atLeast?: Map<string, number>, everyMs = 5, timeoutMs = 120_000): Promise<number> {
  const t0 = performance.now();
  for (;;) {
    const states = await syncStates(databaseUrl, ids);
    if (states.length === ids.length && states.every((s) => s.applied >= (atLeast?.get(s.id) ?? s.desired))) return performance.now() - t0;
    if (performance.now() - t0 > timeoutMs) throw new Error(`environments not applied within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
