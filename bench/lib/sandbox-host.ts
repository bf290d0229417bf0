// The sandbox clusters of the Kubernetes rows in a process of their own (forked by
// bench/lib/sandbox.ts), so their simulated API servers and controllers do not share an event loop
// with Berth or the load generator. Commands arrive over IPC: stats, reset, faults, stop.
import { startSandboxCluster, type SandboxCluster } from '@berth/sandbox';

export interface HostedClusterSpec {
  name: string;
  latencyMs?: number;
  historySize?: number;
  /**
   * What the cluster's node reports as capacity and allocatable, as a kubelet on a bigger machine
   * would (the sandbox's default node has 8 CPUs and 32 GiB). Row 7 puts 3,334 environments on each
   * cluster: on 8 CPUs all but 32 of their pods would stay unschedulable and be retried by the
   * sandbox's scheduler for as long as the row runs, work a real cluster of that size (~100 nodes)
   * does not do.
   */
  nodeCapacity?: { cpu: string; memory: string; pods: string };
}

export interface HostRequest {
  id: number;
  op: 'stats' | 'reset' | 'faults' | 'stop' | 'memory' | 'pages';
  cluster?: string;
  faults?: Record<string, unknown>;
}

const specs = JSON.parse(process.argv[2] ?? '[]') as HostedClusterSpec[];
const clusters = new Map<string, SandboxCluster>();
for (const spec of specs) {
  const cluster = await startSandboxCluster({ name: spec.name, rolloutDelayMs: 20, timeFactor: 0.002, namespaceTerminationMs: 50, logIntervalMs: 50, faults: { latencyMs: spec.latencyMs ?? 0 }, ...(spec.historySize ? { historySize: spec.historySize } : {}) });
  if (spec.nodeCapacity) {
    // Through the API, as a kubelet posts its node's status.
    const res = await fetch(`${cluster.url}/api/v1/nodes/sandbox-node/status`, { method: 'PATCH', headers: { 'content-type': 'application/merge-patch+json' }, body: JSON.stringify({ status: { capacity: spec.nodeCapacity, allocatable: spec.nodeCapacity } }) });
    if (!res.ok) throw new Error(`sizing the node of ${spec.name}: ${res.status} ${await res.text()}`);
  }
  clusters.set(spec.name, cluster);
}
process.send!({ type: 'ready', clusters: [...clusters.values()].map((c) => ({ name: c.name, url: c.url, port: c.port, kubeconfig: c.kubeconfig, kubeconfigPath: c.kubeconfigPath })) });

process.on('message', (raw) => {
  const request = raw as HostRequest;
  void (async () => {
    try {
      const cluster = request.cluster ? clusters.get(request.cluster) : undefined;
      let result: unknown;
      if (request.op === 'stats') result = cluster!.stats();
      else if (request.op === 'reset') cluster!.resetStats();
      else if (request.op === 'faults') cluster!.faults.set(request.faults ?? {});
      else if (request.op === 'memory') result = process.memoryUsage().rss;
      else if (request.op === 'pages') result = informerPages(cluster!);
      else if (request.op === 'stop') {
        for (const c of clusters.values()) await c.stop();
        process.send!({ id: request.id, result: null }, () => process.exit(0));
        return;
      }
      process.send!({ id: request.id, result: result ?? null });
    } catch (error) {
      process.send!({ id: request.id, error: error instanceof Error ? error.message : String(error) });
    }
  })();
});
process.on('disconnect', () => process.exit(0));

/** What Berth's informers list: per watched resource, one page per 500 objects labelled managed-by=berth (at least one). */
const WATCHED = ['namespaces', 'serviceaccounts', 'secrets', 'resourcequotas', 'limitranges', 'networkpolicies', 'deployments', 'services', 'ingresses', 'horizontalpodautoscalers', 'poddisruptionbudgets', 'pods'];
function informerPages(cluster: SandboxCluster): number {
  let pages = 0;
  for (const res of cluster.core.store.resources().filter((r) => WATCHED.includes(r.plural))) {
    const n = cluster.core.store.list(res).filter((o) => o.metadata.labels?.['app.kubernetes.io/managed-by'] === 'berth').length;
    pages += Math.max(1, Math.ceil(n / 500));
  }
  // A watched resource with no object yet has no table: still one (empty) page.
  return pages + WATCHED.length - cluster.core.store.resources().filter((r) => WATCHED.includes(r.plural)).length;
}
