// The scheduler's fit check keeps per-node totals incrementally (a node info cache); this proves it
// answers exactly what the former full scan of every pod answered, for random pods, nodes and
// orders of binds, phase changes and deletions.
import fc from 'fast-check';
import { NODE_CAPACITY, podFitsNode } from '../src/controllers/scheduler.js';
import { parseQuantity } from '../src/quantity.js';
import { R } from '../src/resources.js';
import { Store } from '../src/store.js';
import { asArray, asMap, type KubeObject } from '../src/types.js';

// ---- The reference: the former implementation, verbatim (a scan of every pod per decision). ----
function refPodRequest(pod: KubeObject, resource: 'cpu' | 'memory'): number {
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

function refIsActiveOnNode(p: KubeObject, nodeName: string): boolean {
  const phase = asMap(p.status)['phase'];
  return asMap(p.spec)['nodeName'] === nodeName && phase !== 'Succeeded' && phase !== 'Failed';
}

function referenceFits(store: Store, pod: KubeObject): string | undefined {
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
    const want = refPodRequest(pod, resource);
    if (want === 0) continue;
    others ??= store.list(R.pods).filter((p) => p.metadata.uid !== pod.metadata.uid && refIsActiveOnNode(p, nodeName));
    const cap = parseQuantity(allocatable[resource] ?? NODE_CAPACITY[resource]);
    const used = others.reduce((n, p) => n + refPodRequest(p, resource), 0);
    if (used + want > cap + 1e-9) insufficient.push(`1 Insufficient ${resource}`);
  }
  if (!insufficient.length) return undefined;
  return `0/1 nodes are available: ${insufficient.join(', ')}. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.`;
}

// ---- Generators: quantities as a real server stores them (canonical: milli-cpu, whole bytes). ----
const cpu = fc.constantFrom('100m', '250m', '500m', '1', '1500m', '2', '3', '4', '7999m', '8', '10m');
const memory = fc.constantFrom('1024', '64Mi', '128Mi', '512Mi', '1Gi', '1536Mi', '1500M', '2G', '4Gi', '16Gi', '32Gi');
const resources = fc.record(
  {
    requests: fc.record({ cpu, memory }, { requiredKeys: [] }),
    limits: fc.record({ cpu, memory }, { requiredKeys: [] }),
  },
  { requiredKeys: [] },
);
const container = fc.record({ name: fc.constant('c'), image: fc.constant('example/app'), resources }, { requiredKeys: ['name', 'image'] });
const podSpec = fc.record(
  {
    containers: fc.array(container, { minLength: 1, maxLength: 3 }),
    initContainers: fc.array(container, { maxLength: 2 }),
    overhead: fc.record({ cpu, memory }, { requiredKeys: [] }),
    nodeSelector: fc.constantFrom({ zone: 'a' }, { zone: 'b' }),
    nodeName: fc.constantFrom('node-1', 'node-2'),
  },
  { requiredKeys: ['containers'] },
);
const phase = fc.constantFrom(undefined, 'Pending', 'Running', 'Succeeded', 'Failed');

type Step =
  | { op: 'create'; name: number; spec: Record<string, unknown>; phase: string | undefined }
  | { op: 'bind'; name: number; node: string }
  | { op: 'phase'; name: number; phase: string | undefined }
  | { op: 'delete'; name: number }
  | { op: 'node'; cpu: string | undefined; memory: string | undefined; zone: string }
  | { op: 'check'; name: number; fresh: Record<string, unknown> | undefined };

const names = fc.integer({ min: 0, max: 11 });
const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ op: fc.constant('create' as const), name: names, spec: podSpec, phase }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('bind' as const), name: names, node: fc.constantFrom('node-1', 'node-2') }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('phase' as const), name: names, phase }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('delete' as const), name: names }) },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('node' as const),
      cpu: fc.constantFrom(undefined, '8', '4', '2500m'),
      memory: fc.constantFrom(undefined, '32Gi', '8Gi', '3Gi'),
      zone: fc.constantFrom('a', 'b'),
    }),
  },
  { weight: 4, arbitrary: fc.record({ op: fc.constant('check' as const), name: names, fresh: fc.option(podSpec, { nil: undefined }) }) },
);

let uidCounter = 0;
function podObject(name: number, spec: Record<string, unknown>, phase: string | undefined): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: `p${name}`, namespace: 'ns', uid: `uid-${++uidCounter}` }, spec, status: phase ? { phase } : {} };
}

function writeNode(store: Store, s: { cpu: string | undefined; memory: string | undefined; zone: string }): void {
  const allocatable: Record<string, string> = {};
  if (s.cpu) allocatable['cpu'] = s.cpu;
  if (s.memory) allocatable['memory'] = s.memory;
  store.write(R.nodes, { apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-1', labels: { zone: s.zone }, uid: 'node-uid' }, spec: {}, status: { allocatable } });
}

/** Runs the steps against one store, comparing both answers at every check; returns the checks made. */
function run(steps: Step[], withNode: boolean, seen: Map<string, number>): void {
  const store = new Store();
  if (withNode) writeNode(store, { cpu: undefined, memory: undefined, zone: 'a' });
  for (const s of steps) {
    const current = 'name' in s ? store.get(R.pods, 'ns', `p${s.name}`) : undefined;
    if (s.op === 'create') {
      if (current) store.remove(R.pods, 'ns', `p${s.name}`);
      store.write(R.pods, podObject(s.name, s.spec, s.phase));
    } else if (s.op === 'bind' && current) {
      store.write(R.pods, { ...current, spec: { ...asMap(current.spec), nodeName: s.node } });
    } else if (s.op === 'phase' && current) {
      store.write(R.pods, { ...current, status: s.phase ? { phase: s.phase } : {} });
    } else if (s.op === 'delete' && current) {
      store.remove(R.pods, 'ns', `p${s.name}`);
    } else if (s.op === 'node') {
      writeNode(store, s);
    } else if (s.op === 'check') {
      const pod = s.fresh ? podObject(100 + s.name, s.fresh, undefined) : current;
      if (!pod) continue;
      const answer = podFitsNode(store, pod);
      expect(answer).toBe(referenceFits(store, pod));
      const kind = answer === undefined ? 'fits' : answer.includes('Insufficient cpu, 1 Insufficient memory') ? 'both' : (/Insufficient \w+|selector|no nodes/.exec(answer)?.[0] ?? answer);
      seen.set(kind, (seen.get(kind) ?? 0) + 1);
    }
  }
}

describe('scheduler fit check (per-node totals)', () => {
  it('answers exactly what a scan of every pod answers, for random pods, nodes and event orders', () => {
    const seen = new Map<string, number>();
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 80, size: 'max' }), fc.boolean(), (steps, withNode) => {
        run(steps, withNode, seen);
      }),
      { numRuns: 300 },
    );
    // The generators must reach every answer often, or the comparison proves little.
    for (const kind of ['fits', 'Insufficient cpu', 'Insufficient memory', 'both', 'selector', 'no nodes']) expect([kind, (seen.get(kind) ?? 0) > 20]).toEqual([kind, true]);
  });

  it('sums the requests of bound pods exactly and frees them when a pod ends or is deleted', () => {
    const store = new Store();
    writeNode(store, { cpu: '1', memory: undefined, zone: 'a' });
    const tenth = (n: number): KubeObject => podObject(n, { containers: [{ name: 'c', image: 'x', resources: { requests: { cpu: '100m' } } }], nodeName: 'node-1' }, 'Running');
    const candidate = tenth(99);
    for (let i = 0; i < 10; i++) {
      expect(podFitsNode(store, candidate)).toBeUndefined();
      store.write(R.pods, tenth(i));
    }
    const full = '0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.';
    expect(podFitsNode(store, candidate)).toBe(full);
    const done = store.get(R.pods, 'ns', 'p3')!;
    store.write(R.pods, { ...done, status: { phase: 'Succeeded' } });
    expect(podFitsNode(store, candidate)).toBeUndefined();
    store.write(R.pods, { ...store.get(R.pods, 'ns', 'p3')!, status: { phase: 'Running' } });
    expect(podFitsNode(store, candidate)).toBe(full);
    store.remove(R.pods, 'ns', 'p4');
    expect(podFitsNode(store, candidate)).toBeUndefined();
    // A pod already bound to the node is not counted against itself.
    expect(podFitsNode(store, store.get(R.pods, 'ns', 'p5')!)).toBeUndefined();
  });
});
