import { parseQuantity } from '../quantity.js';
import { R } from '../resources.js';
import type { Store } from '../store.js';
import { asArray, asMap, type KubeObject } from '../types.js';

/** What the simulated node offers (its status.capacity and status.allocatable). */
export const NODE_CAPACITY = { cpu: '8', memory: '32Gi', pods: '110' } as const;

function podRequest(pod: KubeObject, resource: 'cpu' | 'memory'): number {
  const spec = asMap(pod.spec);
  const req = (c: unknown): number => {
    const r = asMap(asMap(c)['resources']);
    const v = asMap(r['requests'])[resource] ?? asMap(r['limits'])[resource];
    return v === undefined ? 0 : parseQuantity(v);
  };
  const sum = asArray(spec['containers']).reduce<number>((n, c) => n + req(c), 0);
  const init = Math.max(0, ...asArray(spec['initContainers']).map(req));
  const overhead = asMap(spec['overhead'])[resource];
  return Math.max(sum, init) + (overhead === undefined ? 0 : parseQuantity(overhead));
}

function isActiveOnNode(p: KubeObject, nodeName: string): boolean {
  const phase = asMap(p.status)['phase'];
  return asMap(p.spec)['nodeName'] === nodeName && phase !== 'Succeeded' && phase !== 'Failed';
}

/**
 * The default scheduler's filter for the single node: node selector, then cpu and memory
 * requests against allocatable minus what bound pods request. Returns the FailedScheduling
 * message when the pod does not fit, undefined when it does. (The pod-count limit is not enforced.)
 */
export function podFitsNode(store: Store, pod: KubeObject): string | undefined {
  const node = store.list(R.nodes)[0];
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
  let others: KubeObject[] | undefined;
  const insufficient: string[] = [];
  for (const resource of ['cpu', 'memory'] as const) {
    const want = podRequest(pod, resource);
    if (want === 0) continue;
    others ??= store.list(R.pods).filter((p) => p.metadata.uid !== pod.metadata.uid && isActiveOnNode(p, nodeName));
    const cap = parseQuantity(allocatable[resource] ?? NODE_CAPACITY[resource]);
    const used = others.reduce((n, p) => n + podRequest(p, resource), 0);
    if (used + want > cap + 1e-9) insufficient.push(`1 Insufficient ${resource}`);
  }
  if (!insufficient.length) return undefined;
  return `0/1 nodes are available: ${insufficient.join(', ')}. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.`;
}
