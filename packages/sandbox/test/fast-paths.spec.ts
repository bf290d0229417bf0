// Short cuts the sandbox takes for speed (#15) must answer exactly what the long way answered:
// each is checked here against the former implementation, verbatim, on random inputs.
import fc from 'fast-check';
import { parse as parseYaml } from 'yaml';
import { podFitsNode } from '../src/controllers/scheduler.js';
import { HASH_LABEL, sameTemplate } from '../src/controllers/rollout.js';
import { decodeBody } from '../src/http-util.js';
import type { SandboxCluster } from '../src/index.js';
import { R } from '../src/resources.js';
import { changedPaths, fieldsOf, valueAt } from '../src/patch/fieldset.js';
import { keyFieldDefault } from '../src/patch/schema.js';
import { asMap, deepEqual, isMap, type KubeObject } from '../src/types.js';
import { pathText } from '../src/patch/paths.js';
import { fastCluster, referenceChangedPaths, texts } from './helpers.js';

let c: SandboxCluster;
beforeAll(async () => {
  c = await fastCluster({ name: 'fast-paths' });
});
afterAll(async () => {
  await c.stop();
});

const APPLY = 'application/apply-patch+yaml';

/** decodeBody's outcome: the value, or the error's message. */
function decoded(text: string): { value?: unknown; error?: string } {
  try {
    return { value: decodeBody(Buffer.from(text), APPLY) };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

/** The former decoding of a YAML body: the YAML parser, always. */
function referenceDecoded(text: string): { value?: unknown; error?: string } {
  try {
    return { value: parseYaml(text) as unknown };
  } catch (e) {
    return { error: `error decoding request body: ${(e as Error).message}` };
  }
}

describe('apply bodies that are JSON', () => {
  it('decode exactly as the YAML parser decodes them, whitespace and unicode included', () => {
    const indent = fc.constantFrom(undefined, 0, 1, 2, 4, '\t');
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), indent, (value, space) => {
        const text = JSON.stringify(value, null, space);
        expect(decoded(text)).toEqual(referenceDecoded(text));
      }),
      { numRuns: 300 },
    );
  });

  it('with a key repeated in one object are rejected as the YAML parser rejects them', () => {
    for (const text of ['{"a":1,"a":2}', '{"metadata":{"name":"x","name":"y"}}', '{"spec":{"x":[{"k":1,"k":1}]}}']) {
      const got = decoded(text);
      expect(got.error).toBeDefined();
      expect(got).toEqual(referenceDecoded(text));
    }
  });

  it('that JSON.parse refuses (comments, several documents, a byte-order mark, control characters) still go to the YAML parser', () => {
    for (const text of ['{"a": 1} # note', '{"a":1}\n---\n{"b":2}', '\ufeff{"a":1}', '{"a":"\u0001"}', 'a: 1\nb: [1, 2]\n']) {
      expect(decoded(text)).toEqual(referenceDecoded(text));
    }
  });
});

/** The former sameTemplate, verbatim. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (isMap(v)) {
    return `{${Object.keys(v)
      .filter((k) => v[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}
function referenceSameTemplate(a: unknown, b: unknown): boolean {
  const strip = (t: unknown): unknown => {
    const m = structuredClone(asMap(t));
    const meta = asMap(m['metadata']);
    const labels = { ...asMap(meta['labels']) };
    delete labels[HASH_LABEL];
    m['metadata'] = { ...meta, labels };
    return m;
  };
  return canonical(strip(a)) === canonical(strip(b));
}

describe('pod template comparison (cached per stored template)', () => {
  const labels = fc.dictionary(fc.constantFrom('app', 'tier', HASH_LABEL, 'release'), fc.constantFrom('a', 'b', '1'), { maxKeys: 3 });
  const template = fc.oneof(
    fc.constant(undefined),
    fc.record(
      {
        metadata: fc.record({ labels, annotations: fc.dictionary(fc.constantFrom('x', 'y'), fc.constantFrom('1', '2'), { maxKeys: 2 }) }, { requiredKeys: [] }),
        spec: fc.record({ containers: fc.array(fc.record({ name: fc.constantFrom('web', 'side'), image: fc.constantFrom('nginx:1', 'nginx:2') }), { maxLength: 2 }) }, { requiredKeys: [] }),
      },
      { requiredKeys: [] },
    ),
  );

  it('answers what the uncached comparison answers, asked once or again', () => {
    fc.assert(
      fc.property(template, template, (a, b) => {
        const want = referenceSameTemplate(a, b);
        expect(sameTemplate(a, b)).toBe(want);
        expect(sameTemplate(a, b)).toBe(want);
        expect(sameTemplate(b, a)).toBe(want);
        expect(sameTemplate(a, a)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});

describe('server-side apply without the second copy of its merge result', () => {
  it('leaves every stored version untouched and records only the Apply owner on create', () => {
    const core = c.core;
    {
      const applied = (replicas: number, image: string): KubeObject => ({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'web', namespace: 'default', labels: { app: 'web' } },
        spec: { replicas, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image }] } } },
      });
      const first = core.registry.patch(R.deployments, 'default', 'web', 'apply', applied(1, 'nginx:1'), { fieldManager: 'berth', force: true });
      expect(first.created).toBe(true);
      expect(first.obj.metadata.managedFields?.map((e) => `${e.manager}/${e.operation}`)).toEqual(['berth/Apply']);
      const snapshot = JSON.stringify(first.obj);
      const second = core.registry.patch(R.deployments, 'default', 'web', 'apply', applied(2, 'nginx:2'), { fieldManager: 'berth', force: true });
      expect(JSON.stringify(first.obj)).toBe(snapshot);
      const snapshot2 = JSON.stringify(second.obj);
      core.registry.patch(R.deployments, 'default', 'web', 'apply', applied(3, 'nginx:3'), { fieldManager: 'berth', force: true });
      expect(JSON.stringify(second.obj)).toBe(snapshot2);
      expect(asMap(core.store.get(R.deployments, 'default', 'web')?.spec)['replicas']).toBe(3);
    }
  });
});

describe('the scheduler with requests parsed once per pod spec', () => {
  it('answers alike for the same pod asked again, and for a pod whose spec object is new', () => {
    const core = c.core;
    {
      const pod = (cpu: string): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default', uid: 'u' }, spec: { containers: [{ name: 'c', image: 'x', resources: { requests: { cpu } } }] } });
      const big = pod('9');
      const small = pod('1');
      expect(podFitsNode(core.store, big)).toMatch(/Insufficient cpu/);
      expect(podFitsNode(core.store, big)).toMatch(/Insufficient cpu/);
      expect(podFitsNode(core.store, small)).toBeUndefined();
      expect(podFitsNode(core.store, small)).toBeUndefined();
    }
  });
});

/** The former changedPaths, verbatim: every path walked down from the root in both objects. */
function referenceValueAt(obj: unknown, path: string): { found: boolean; value: unknown } {
  let cur: unknown = obj;
  for (const seg of path.split('\n')) {
    if (seg.startsWith('f:')) {
      if (!isMap(cur) || !(seg.slice(2) in cur)) return { found: false, value: undefined };
      cur = cur[seg.slice(2)];
    } else if (seg.startsWith('k:')) {
      const key = JSON.parse(seg.slice(2)) as Record<string, unknown>;
      if (!Array.isArray(cur)) return { found: false, value: undefined };
      cur = cur.find((i) => isMap(i) && Object.entries(key).every(([k, v]) => deepEqual(i[k] ?? keyFieldDefault(k), v)));
      if (cur === undefined) return { found: false, value: undefined };
    } else if (seg.startsWith('v:')) {
      const val = JSON.parse(seg.slice(2)) as unknown;
      if (!Array.isArray(cur) || !cur.some((i) => deepEqual(i, val))) return { found: false, value: undefined };
      cur = val;
    }
  }
  return { found: true, value: cur };
}

describe('changed fields of an update (each path prefix located once)', () => {
  const small = fc.constantFrom('a', 'b', 'web', 'side');
  const port = fc.record({ containerPort: fc.constantFrom(80, 8080), protocol: fc.constantFrom(undefined, 'TCP', 'UDP'), name: fc.constantFrom(undefined, 'http') }, { requiredKeys: ['containerPort'] });
  const container = fc.record(
    { name: small, image: fc.constantFrom('nginx:1', 'nginx:2'), ports: fc.array(port, { maxLength: 3 }), env: fc.array(fc.record({ name: small, value: small }), { maxLength: 3 }) },
    { requiredKeys: ['name'] },
  );
  const object = fc.record(
    {
      apiVersion: fc.constant('apps/v1'),
      kind: fc.constant('Deployment'),
      metadata: fc.record(
        {
          name: fc.constant('d'),
          labels: fc.dictionary(small, small, { maxKeys: 3 }),
          finalizers: fc.array(fc.constantFrom('x/y', 'kubernetes', 'foregroundDeletion'), { maxLength: 3 }),
          ownerReferences: fc.array(fc.record({ apiVersion: fc.constant('v1'), kind: fc.constant('X'), name: small, uid: fc.constantFrom('u1', 'u2') }), { maxLength: 2 }),
        },
        { requiredKeys: ['name'] },
      ),
      spec: fc.record({ replicas: fc.constantFrom(1, 2), template: fc.record({ spec: fc.record({ containers: fc.array(container, { maxLength: 3 }) }) }) }, { requiredKeys: [] }),
      status: fc.record({ replicas: fc.constantFrom(0, 1), conditions: fc.array(fc.record({ type: fc.constantFrom('Available', 'Progressing'), status: fc.constantFrom('True', 'False') }), { maxLength: 2 }) }, { requiredKeys: [] }),
    },
    { requiredKeys: ['apiVersion', 'kind', 'metadata'] },
  );

  it('are what walking every path from the root found, for the main resource and for status', () => {
    fc.assert(
      fc.property(fc.option(object, { nil: undefined }), object, fc.boolean(), (before, after, status) => {
        const want = referenceChangedPaths(before, after, status, referenceValueAt);
        const got = changedPaths(before, after, status);
        expect([...texts(got.changed)].sort()).toEqual([...want.changed].sort());
        expect([...texts(got.removed)].sort()).toEqual([...want.removed].sort());
        for (const p of [...fieldsOf(after, status), ...(before ? fieldsOf(before, status) : [])]) expect(valueAt(after, p)).toEqual(referenceValueAt(after, pathText(p)));
      }),
      { numRuns: 400 },
    );
  });
});

describe('Pod Security admission with policies cached per stored namespace labels', () => {
  it('follows every relabelling of the namespace', () => {
    const reg = c.core.registry;
    reg.create(R.namespaces, '', { metadata: { name: 'psa-cache' } }, { fieldManager: 'test' });
    const rootPod = (name: string): KubeObject => ({ metadata: { name }, spec: { containers: [{ name: 'c', image: 'nginx:1', securityContext: { privileged: true } }] } });
    const relabel = (labels: Record<string, string>): void => {
      const ns = reg.get(R.namespaces, '', 'psa-cache');
      reg.commitUpdate(R.namespaces, ns, { ...ns, metadata: { ...ns.metadata, labels } }, { fieldManager: 'test' });
    };
    expect(() => reg.create(R.pods, 'psa-cache', rootPod('p1'), { fieldManager: 'test' })).not.toThrow();
    relabel({ 'pod-security.kubernetes.io/enforce': 'baseline' });
    expect(() => reg.create(R.pods, 'psa-cache', rootPod('p2'), { fieldManager: 'test' })).toThrow(/violates PodSecurity "baseline:latest"/);
    relabel({ 'pod-security.kubernetes.io/enforce': 'privileged' });
    expect(() => reg.create(R.pods, 'psa-cache', rootPod('p3'), { fieldManager: 'test' })).not.toThrow();
    relabel({ 'pod-security.kubernetes.io/enforce': 'restricted' });
    expect(() => reg.create(R.pods, 'psa-cache', rootPod('p4'), { fieldManager: 'test' })).toThrow(/violates PodSecurity "restricted:latest"/);
  });
});
