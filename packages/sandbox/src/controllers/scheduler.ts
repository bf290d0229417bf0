import { quantityNanos } from '../quantity.js';
import { R } from '../resources.js';
import type { Store } from '../store.js';
import { asArray, asMap, type KubeObject } from '../types.js';

/** What the simulated node offers (its status.capacity and status.allocatable). */
export const NODE_CAPACITY = { cpu: '8', memory: '32Gi', pods: '110' } as const;

type Resource = 'cpu' | 'memory';

/** A pod's effective request of one resource in nano units: max(sum of containers, largest init container) + overhead. */
function podRequest(spec: Record<string, unknown>, resource: Resource): bigint {
  const req = (c: unknown): bigint => {
    const r = asMap(asMap(c)['resources']);
    const v = asMap(r['requests'])[resource] ?? asMap(r['limits'])[resource];
    return v === undefined ? 0n : quantityNanos(v);
  };
  let sum = 0n;
  for (const c of asArray(spec['containers'])) sum += req(c);
  let init = 0n;
  for (const c of asArray(spec['initContainers'])) {
    const r = req(c);
    if (r > init) init = r;
  }
  const overhead = asMap(spec['overhead'])[resource];
  return (sum > init ? sum : init) + (overhead === undefined ? 0n : quantityNanos(overhead));
}

interface Requests {
  cpu: bigint;
  memory: bigint;
}

/**
 * A pod's requests per (immutable, stored) spec object: an unschedulable pod is re-checked at
 * kube-scheduler's pace, and its quantities need parsing once, not at every attempt.
 */
const specRequests = new WeakMap<object, Requests>();

function requestsOf(spec: Record<string, unknown>): Requests {
  let r = specRequests.get(spec);
  if (!r) specRequests.set(spec, (r = { cpu: podRequest(spec, 'cpu'), memory: podRequest(spec, 'memory') }));
  return r;
}

/** Node allocatable quantities, parsed once per distinct text. */
const capacities = new Map<string, bigint>();

function capacityNanos(q: unknown): bigint {
  if (typeof q !== 'string') return quantityNanos(q);
  let n = capacities.get(q);
  if (n === undefined) {
    n = quantityNanos(q);
    if (capacities.size < 1000) capacities.set(q, n);
  }
  return n;
}

/** What one stored pod adds to its node's totals (nothing unless bound and not terminal). */
interface PodUsage {
  uid: string | undefined;
  node: string | undefined;
  spec: unknown;
  cpu: bigint;
  memory: bigint;
}

interface NodeTotals {
  cpu: bigint;
  memory: bigint;
  pods: number;
}

/**
 * The scheduler's node info cache (as kube-scheduler keeps one): per node, the requests of the pods
 * bound to it that are not Succeeded or Failed, kept up to date from the store's pod events so a
 * fit check costs O(1) instead of a scan of every pod. Totals are exact (nano units as BigInt), so
 * adding and removing pods in any order leaves no rounding behind.
 */
class NodeInfo {
  private readonly pods = new Map<string, PodUsage>();
  private readonly nodes = new Map<string, NodeTotals>();

  constructor(store: Store) {
    for (const p of store.list(R.pods)) this.update(p, p);
    store.subscribeResource(R.pods, (ev) => this.update(ev.obj, ev.type === 'DELETED' ? undefined : ev.obj));
  }

  totals(node: string): NodeTotals {
    return this.nodes.get(node) ?? { cpu: 0n, memory: 0n, pods: 0 };
  }

  usage(ns: string, name: string): PodUsage | undefined {
    return this.pods.get(`${ns}/${name}`);
  }

  /** Replace what the pod `ref` names contributes with what `obj` (undefined: deleted) does. */
  private update(ref: KubeObject, obj: KubeObject | undefined): void {
    const key = `${ref.metadata.namespace ?? ''}/${ref.metadata.name ?? ''}`;
    const prev = this.pods.get(key);
    if (prev) this.account(prev, -1);
    if (!obj) {
      this.pods.delete(key);
      return;
    }
    const spec = asMap(obj.spec);
    const phase = asMap(obj.status)['phase'];
    const nodeName = spec['nodeName'];
    const node = typeof nodeName === 'string' && phase !== 'Succeeded' && phase !== 'Failed' ? nodeName : undefined;
    // A pod's resources are immutable once created; re-parse only when the spec object changed.
    const same = prev !== undefined && prev.spec === obj.spec;
    const requests = same ? prev : requestsOf(spec);
    const next: PodUsage = { uid: obj.metadata.uid, node, spec: obj.spec, cpu: requests.cpu, memory: requests.memory };
    this.pods.set(key, next);
    this.account(next, 1);
  }

  private account(u: PodUsage, sign: 1 | -1): void {
    if (u.node === undefined) return;
    let t = this.nodes.get(u.node);
    if (!t) this.nodes.set(u.node, (t = { cpu: 0n, memory: 0n, pods: 0 }));
    const k = BigInt(sign);
    t.cpu += k * u.cpu;
    t.memory += k * u.memory;
    t.pods += sign;
    if (t.pods === 0) this.nodes.delete(u.node);
  }
}

const caches = new WeakMap<Store, NodeInfo>();

function nodeInfo(store: Store): NodeInfo {
  let info = caches.get(store);
  if (!info) caches.set(store, (info = new NodeInfo(store)));
  return info;
}

/**
 * The default scheduler's filter for the single node: node selector, then cpu and memory
 * requests against allocatable minus what bound pods request. Returns the FailedScheduling
 * message when the pod does not fit, undefined when it does. (The pod-count limit is not enforced.)
 */
export function podFitsNode(store: Store, pod: KubeObject): string | undefined {
  const node = firstNode(store);
  if (!node) return '0/0 nodes are available: no nodes available to schedule pods.';
  const nodeName = node.metadata.name ?? '';
  const spec = asMap(pod.spec);
  const labels = node.metadata.labels ?? {};
  const selector = asMap(spec['nodeSelector']);
  const selectorOk = Object.entries(selector).every(([k, v]) => labels[k] === v);
  const requested = typeof spec['nodeName'] === 'string' && spec['nodeName'] !== nodeName;
  if (!selectorOk || requested) {
    return `0/1 nodes are available: 1 node(s) didn't match Pod's node affinity/selector. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.`;
  }
  const allocatable = asMap(asMap(node.status)['allocatable']);
  const info = nodeInfo(store);
  const totals = info.totals(nodeName);
  // The pod itself, if already stored as bound to this node, is not among "the others".
  const ref = pod.metadata.uid !== undefined ? store.byUid(pod.metadata.uid) : undefined;
  const self = ref && ref.res === R.pods ? info.usage(ref.ns, ref.name) : undefined;
  const selfCounts = self !== undefined && self.uid === pod.metadata.uid && self.node === nodeName;
  const insufficient: string[] = [];
  const requests = requestsOf(spec);
  for (const resource of ['cpu', 'memory'] as const) {
    const want = requests[resource];
    if (want === 0n) continue;
    const cap = capacityNanos(allocatable[resource] ?? NODE_CAPACITY[resource]);
    const used = totals[resource] - (selfCounts ? self[resource] : 0n);
    if (used + want > cap) insufficient.push(`1 Insufficient ${resource}`);
  }
  if (!insufficient.length) return undefined;
  return `0/1 nodes are available: ${insufficient.join(', ')}. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.`;
}

/** The first node in the store (there is one; nodes are few, so no index). */
function firstNode(store: Store): KubeObject | undefined {
  return store.list(R.nodes)[0];
}
