// Which replica should own which cluster: consistent hashing with bounded loads (Mirrokni, Thorup
// and Zadimoghaddam, 2018; the scheme Argo CD offers for sharding clusters between controllers).
// Every replica computes it alone from the same two lists (live replicas, registered clusters), so
// they agree without talking to each other. Pure: no clock, no I/O.
//
// Each replica sits at `virtualNodes` points of a 64-bit ring; a cluster hashes to a point and walks
// clockwise to the first replica that still has room. Room is the bound: no replica takes more than
// ceil(loadFactor × clusters / replicas). Clusters are placed in ring order, so the outcome does not
// depend on the order of the input lists. A joining or leaving replica moves about its fair share
// of clusters (measured: 1.03× on average, under 2× at worst, test/unit/cluster-leases/assignment.spec.ts),
// where `hash mod replicas` would move almost all of them.
import { hash as digest } from 'node:crypto';

export interface AssignmentOptions {
  /** c in the paper: how far above the average a replica's load may go (≥ 1). */
  loadFactor: number;
  /** Points per replica on the ring: more points, smoother arcs. */
  virtualNodes: number;
}

export const DEFAULT_ASSIGNMENT: AssignmentOptions = { loadFactor: 1.25, virtualNodes: 64 };

/** The most clusters one replica may own. */
export function capacity(clusters: number, replicas: number, loadFactor = DEFAULT_ASSIGNMENT.loadFactor): number {
  if (replicas === 0) return 0;
  return Math.max(1, Math.ceil((loadFactor * clusters) / replicas));
}

/** A cluster id → the replica id that should own it; empty when there is no replica. */
export function assignClusters(clusters: readonly string[], replicas: readonly string[], options: AssignmentOptions = DEFAULT_ASSIGNMENT): Map<string, string> {
  const owners = new Map<string, string>();
  const members = [...new Set(replicas)];
  if (members.length === 0) return owners;
  const ring: Array<{ point: bigint; replica: number }> = [];
  members.forEach((replica, index) => {
    for (let node = 0; node < options.virtualNodes; node++) ring.push({ point: hash(`${replica}#${node}`), replica: index });
  });
  ring.sort((a, b) => compare(a.point, b.point) || compareText(members[a.replica]!, members[b.replica]!));
  const points = ring.map((r) => r.point);
  const ringReplica = Int32Array.from(ring, (r) => r.replica);
  const ordered = [...new Set(clusters)].map((id) => ({ id, point: hash(id) })).sort((a, b) => compare(a.point, b.point) || compareText(a.id, b.id));
  const bound = capacity(ordered.length, members.length, options.loadFactor);
  const load = new Int32Array(members.length);
  for (const cluster of ordered) {
    // bound × replicas ≥ clusters, so some replica always has room: the walk ends within one turn.
    for (let step = 0, at = firstAtOrAfter(points, cluster.point); step < ringReplica.length; step++, at = at + 1 === ringReplica.length ? 0 : at + 1) {
      const replica = ringReplica[at]!;
      if (load[replica]! < bound) {
        load[replica]! += 1;
        owners.set(cluster.id, members[replica]!);
        break;
      }
    }
  }
  return owners;
}

function firstAtOrAfter(points: readonly bigint[], point: bigint): number {
  let low = 0;
  let high = points.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (points[middle]! < point) low = middle + 1;
    else high = middle;
  }
  return low % points.length;
}

function hash(text: string): bigint {
  return digest('sha256', text, 'buffer').readBigUInt64BE(0);
}

function compare(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
