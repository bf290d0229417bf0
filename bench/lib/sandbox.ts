// Sandbox clusters for the Kubernetes rows: fast simulated rollouts, registered with a Berth. Row 5
// runs one in the bench process (its counts are read synchronously); rows 6, 7 and drift run theirs
// in a child process (`startSandboxHost`, bench/lib/sandbox-host.ts) so the clusters' simulated
// controllers get a core's time of their own rather than the bench's or Berth's event loop.
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { SandboxStats } from '@berth/sandbox';
import { TransactionHost } from '../../src/database/prisma.service.js';
import { ClustersRepository } from '../../src/modules/clusters/clusters.repository.js';
import { KubeClients } from '../../src/modules/clusters/kube/kube-clients.service.js';
import { startSandboxCluster, type SandboxCluster } from '@berth/sandbox';
import type { InProcessBerth } from './berth.js';
import { query, repoRoot } from './postgres.js';
import type { HostedClusterSpec } from './sandbox-host.js';

export async function newSandbox(name: string, latencyMs = 0): Promise<SandboxCluster> {
  return startSandboxCluster({ name, rolloutDelayMs: 20, timeFactor: 0.002, namespaceTerminationMs: 50, logIntervalMs: 50, faults: { latencyMs } });
}

/** A sandbox cluster served by the child process. */
export interface RemoteSandbox {
  name: string;
  url: string;
  kubeconfig: string;
  kubeconfigPath: string;
  stats(): Promise<SandboxStats>;
  resetStats(): Promise<void>;
  setFaults(faults: { latencyMs?: number }): Promise<void>;
  /** Pages Berth's informers need to list what this cluster holds (500 per page, per watched resource). */
  informerPages(): Promise<number>;
}

export interface SandboxHost {
  clusters: RemoteSandbox[];
  pid: number;
  /** Resident set of the child process, in MiB. */
  rssMiB(): Promise<number>;
  stop(): Promise<void>;
}

/** Forks the process serving `specs` as sandbox clusters; resolves once all listen. */
export async function startSandboxHost(specs: HostedClusterSpec[]): Promise<SandboxHost> {
  // BENCH_SANDBOX_NODE_ARGS adds Node options to the child (e.g. --cpu-prof).
  const execArgv = (process.env.BENCH_SANDBOX_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child: ChildProcess = fork(join(repoRoot(), 'dist/bench/lib/sandbox-host.js'), [JSON.stringify(specs)], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'], execArgv });
  let next = 1;
  const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  const ready = new Promise<Array<{ name: string; url: string; kubeconfig: string; kubeconfigPath: string }>>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`sandbox host exited with ${code}`)));
    child.on('message', (raw) => {
      const message = raw as { type?: string; clusters?: Array<{ name: string; url: string; kubeconfig: string; kubeconfigPath: string }>; id?: number; result?: unknown; error?: string };
      if (message.type === 'ready') resolve(message.clusters!);
      else if (message.id !== undefined) {
        const w = waiting.get(message.id);
        waiting.delete(message.id);
        if (message.error) w?.reject(new Error(message.error));
        else w?.resolve(message.result);
      }
    });
  });
  const ask = <T>(op: string, extra: Record<string, unknown> = {}): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const id = next++;
      waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
      child.send({ id, op, ...extra });
    });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const clusters = (await ready).map((c) => ({
    ...c,
    stats: () => ask<SandboxStats>('stats', { cluster: c.name }),
    resetStats: () => ask<void>('reset', { cluster: c.name }),
    setFaults: (faults: { latencyMs?: number }) => ask<void>('faults', { cluster: c.name, faults }),
    informerPages: () => ask<number>('pages', { cluster: c.name }),
  }));
  return {
    clusters,
    pid: child.pid!,
    rssMiB: async () => (await ask<number>('memory')) / 1024 / 1024,
    async stop() {
      if (child.exitCode !== null) return;
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await ask('stop').catch(() => undefined);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Sums the request counters of several clusters. */
export async function totalStats(clusters: RemoteSandbox[]): Promise<{ total: number; mutating: number; byVerb: Record<string, number> }> {
  const out = { total: 0, mutating: 0, byVerb: {} as Record<string, number> };
  for (const s of await Promise.all(clusters.map((c) => c.stats()))) {
    out.total += s.total;
    out.mutating += s.mutating;
    for (const [verb, n] of Object.entries(s.byVerb)) out.byVerb[verb] = (out.byVerb[verb] ?? 0) + (n ?? 0);
  }
  return out;
}

/** Registers through the API when it serves /v1/clusters, else through the repository (as the tests do). */
export async function registerCluster(berth: InProcessBerth, sandbox: Pick<SandboxCluster, 'name' | 'kubeconfig' | 'url'>): Promise<string> {
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
