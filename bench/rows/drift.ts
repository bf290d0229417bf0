// Row "drift": among the 10,000 environments of row 7 (run on the same Berth, after its resyncs), a
// Deployment is deleted by hand — an HTTP DELETE at the cluster, as kubectl sends — and the time until
// the cluster has a new one (a different uid) is measured, one deletion after another. Nothing but
// the watch can notice it: the resync timer is 30 s, and each repair is expected within 5 s.
import { performance } from 'node:perf_hooks';
import { query } from '../lib/postgres.js';
import type { RemoteSandbox } from '../lib/sandbox.js';
import { num, verdict, type ResultRow } from '../lib/report.js';

const DELETIONS = Number(process.env.BENCH_DRIFT_DELETIONS ?? 20);
const LIMIT_MS = 5000;

/** A network error (a keep-alive socket the server closed as it was reused) is retried, not a result. */
async function fetchRetrying(url: string, init?: RequestInit): Promise<Response> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await fetch(url, init);
    } catch (error) {
      if (attempt >= 3) throw new Error(`${init?.method ?? 'GET'} ${url}: ${error instanceof Error ? `${error.message} (${String((error as { cause?: unknown }).cause)})` : String(error)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

async function uidOf(url: string): Promise<string | null> {
  const res = await fetchRetrying(url);
  if (res.status === 404) {
    await res.arrayBuffer();
    return null;
  }
  if (!res.ok) throw new Error(`GET ${url}: ${res.status}`);
  return ((await res.json()) as { metadata: { uid: string } }).metadata.uid;
}

export async function driftRows(databaseUrl: string, clusters: RemoteSandbox[]): Promise<ResultRow[]> {
  const picks = await query<{ ns: string; cluster: string }>(
    databaseUrl,
    'SELECT a.name || \'-\' || e.name AS ns, c.name AS cluster FROM environments e JOIN apps a ON a.id = e.app_id JOIN clusters c ON c.id = e.cluster_id ORDER BY random() LIMIT $1',
    [DELETIONS],
  );
  const latencies: number[] = [];
  let unrepaired = 0;
  for (const pick of picks) {
    const cluster = clusters.find((c) => c.name === pick.cluster)!;
    const url = `${cluster.url}/apis/apps/v1/namespaces/${pick.ns}/deployments/web`;
    const before = await uidOf(url);
    if (!before) continue;
    const t0 = performance.now();
    const res = await fetchRetrying(url, { method: 'DELETE', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ apiVersion: 'v1', kind: 'DeleteOptions', propagationPolicy: 'Background' }) });
    await res.arrayBuffer();
    let repaired = false;
    while (performance.now() - t0 < 30_000) {
      const uid = await uidOf(url);
      if (uid && uid !== before) {
        repaired = true;
        break;
      }
      await new Promise((r) => setTimeout(r, 25));
    }
    if (repaired) latencies.push(performance.now() - t0);
    else unrepaired += 1;
    await new Promise((r) => setTimeout(r, 200));
  }
  latencies.sort((a, b) => a - b);
  const at = (q: number) => (latencies.length ? latencies[Math.min(latencies.length - 1, Math.ceil(q * latencies.length) - 1)]! : Number.NaN);
  const p99 = at(0.99);
  return [
    {
      row: 'Drift',
      metric: `A Deployment deleted by hand among the environments of row 7, until a new one exists (${picks.length} deletions, one after another)`,
      measured: `p50 ${num(at(0.5))} ms, p99 ${num(p99)} ms, max ${num(latencies.at(-1) ?? Number.NaN)} ms${unrepaired ? `; ${unrepaired} not repaired within 30 s` : ''}`,
      value: `${num(p99)} ms`,
      goal: `p99 ≤ ${LIMIT_MS / 1000} s`,
      verdict: verdict(unrepaired === 0 && p99 <= LIMIT_MS),
      data: { latencies, unrepaired },
      note: 'Seen by the Deployment informer (DELETED event), repaired by a reconcile queued from it; the resync timer (30 s) is not involved. Polled with a GET every 25 ms.',
    },
  ];
}
