// Short cuts of the sandbox's write path (#15, fourth pass) must answer exactly what the long way
// answered: each is checked here against the former implementation, kept verbatim, on random inputs.
import fc from 'fast-check';
import { changedPaths, fieldsOf, toFieldsV1, valueAt } from '../src/patch/fieldset.js';
import { recordUpdate } from '../src/patch/managed-fields.js';
import { isAtomic, isGranularMap, keyFieldDefault, listKeys } from '../src/patch/schema.js';
import { isMap, type JsonMap, type KubeObject, type ManagedFieldsEntry } from '../src/types.js';
import { onPathTableReset, pathId, pathText, setPathTableLimit } from '../src/patch/paths.js';
import { ids, referenceChangedPaths, texts } from './helpers.js';

const small = fc.constantFrom('a', 'b', 'web', 'side');
const port = fc.record({ containerPort: fc.constantFrom(80, 8080), protocol: fc.constantFrom(undefined, 'TCP', 'UDP'), name: fc.constantFrom(undefined, 'http') }, { requiredKeys: ['containerPort'] });
const container = fc.record(
  { name: small, image: fc.constantFrom('nginx:1', 'nginx:2'), ports: fc.array(port, { maxLength: 3 }), env: fc.array(fc.record({ name: small, value: small }), { maxLength: 3 }) },
  { requiredKeys: ['name'] },
);
const status = fc.record(
  {
    replicas: fc.constantFrom(0, 1),
    readyReplicas: fc.constantFrom(undefined, 1),
    conditions: fc.array(fc.record({ type: fc.constantFrom('Available', 'Progressing'), status: fc.constantFrom('True', 'False'), reason: fc.constantFrom(undefined, 'X') }), { maxLength: 2 }),
  },
  { requiredKeys: [] },
);
const object = fc.record(
  {
    apiVersion: fc.constant('apps/v1'),
    kind: fc.constant('Deployment'),
    metadata: fc.record(
      {
        labels: fc.dictionary(small, small, { maxKeys: 3 }),
        annotations: fc.dictionary(fc.constantFrom('deployment.kubernetes.io/revision', 'x'), fc.constantFrom('1', '2'), { maxKeys: 2 }),
        finalizers: fc.array(fc.constantFrom('x/y', 'kubernetes', 'foregroundDeletion'), { maxLength: 3 }),
        ownerReferences: fc.array(fc.record({ apiVersion: fc.constant('v1'), kind: fc.constant('X'), name: small, uid: fc.constantFrom('u1', 'u2') }), { maxLength: 2 }),
      },
      { requiredKeys: [] },
    ),
    spec: fc.record({ replicas: fc.constantFrom(1, 2), template: fc.record({ spec: fc.record({ containers: fc.array(container, { maxLength: 3 }) }) }) }, { requiredKeys: [] }),
    status,
  },
  { requiredKeys: ['apiVersion', 'kind', 'metadata'] },
);

// ---- The former recordUpdate, verbatim (with the helpers it used): no field sets kept between writes.
interface RefOwner {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  subresource: string | undefined;
  time: string;
  set: Set<string>;
  touched: boolean;
  source: ManagedFieldsEntry | undefined;
}
function refFromFieldsV1(fields: unknown): Set<string> {
  const out = new Set<string>();
  const visit = (n: unknown, prefix: string): void => {
    if (typeof n !== 'object' || n === null || Array.isArray(n)) return;
    for (const [k, child] of Object.entries(n as JsonMap)) {
      if (k === '.') {
        if (prefix) out.add(prefix);
        continue;
      }
      const p = prefix ? `${prefix}\n${k}` : k;
      if (typeof child === 'object' && child !== null && !Array.isArray(child) && Object.keys(child).length > 0) visit(child, p);
      else out.add(p);
    }
  };
  visit(fields, '');
  return out;
}
const NOW = 'now';
function refParse(obj: KubeObject | undefined): RefOwner[] {
  return (obj?.metadata.managedFields ?? []).map((e) => ({ manager: e.manager, operation: e.operation, apiVersion: e.apiVersion, subresource: e.subresource, time: e.time, set: refFromFieldsV1(e.fieldsV1), touched: false, source: e }));
}
function refWritable(o: RefOwner): Set<string> {
  if (o.source) {
    o.set = new Set(o.set);
    o.source = undefined;
  }
  return o.set;
}
function refRender(owners: RefOwner[]): ManagedFieldsEntry[] | undefined {
  const out: ManagedFieldsEntry[] = [];
  for (const o of owners) {
    if (o.set.size === 0) continue;
    if (o.source && !o.touched) {
      out.push(o.source);
      continue;
    }
    const fieldsV1 = o.source ? o.source.fieldsV1 : toFieldsV1(ids(o.set));
    const e: ManagedFieldsEntry = { manager: o.manager, operation: o.operation, apiVersion: o.apiVersion, time: o.touched ? NOW : o.time, fieldsType: 'FieldsV1', fieldsV1 };
    if (o.subresource) e.subresource = o.subresource;
    out.push(e);
  }
  return out.length ? out : undefined;
}
function refStripMeta(obj: KubeObject): JsonMap {
  const { managedFields: _mf, ...meta } = obj.metadata;
  return { ...obj, metadata: meta };
}
function referenceRecordUpdate(oldObj: KubeObject | undefined, newObj: KubeObject, manager: string, subresource: string | undefined): ManagedFieldsEntry[] | undefined {
  const owners = refParse(oldObj);
  const status = subresource === 'status';
  const found = changedPaths(oldObj ? refStripMeta(oldObj) : undefined, refStripMeta(newObj), status);
  const changed = texts(found.changed);
  const removed = texts(found.removed);
  if (changed.size === 0 && removed.size === 0) return oldObj?.metadata.managedFields;
  let me = owners.find((o) => o.manager === manager && o.operation === 'Update' && o.subresource === subresource);
  if (!me) {
    me = { manager, operation: 'Update', apiVersion: newObj.apiVersion ?? 'v1', subresource, time: NOW, set: new Set(), touched: true, source: undefined };
    owners.push(me);
  }
  for (const o of owners) {
    if (o === me) continue;
    let hit = false;
    for (const p of changed) if (o.set.has(p)) hit = true;
    for (const p of removed) if (o.set.has(p)) hit = true;
    if (!hit) continue;
    const set = refWritable(o);
    for (const p of changed) set.delete(p);
    for (const p of removed) set.delete(p);
  }
  let grows = false;
  for (const p of changed) if (!me.set.has(p)) grows = true;
  for (const p of removed) if (me.set.has(p)) grows = true;
  if (grows) {
    const set = refWritable(me);
    for (const p of changed) set.add(p);
    for (const p of removed) set.delete(p);
  }
  me.touched = true;
  if (me.source) me.source = { ...me.source, fieldsV1: me.source.fieldsV1 };
  return refRender(owners);
}

/** Entries without their timestamps (the two implementations run a moment apart). */
function timeless(mf: ManagedFieldsEntry[] | undefined): unknown {
  return mf?.map(({ time: _t, ...rest }) => rest);
}

/** A chain of writes recorded by recordUpdate, each compared with the reference. */
function checkChain(steps: { obj: KubeObject; manager: string; sub: string | undefined }[]): void {
  // The registry's way: the recorded object is stored after managedFields and resourceVersion
  // are set, and is the old object of the next write.
  let stored: KubeObject | undefined;
  let rv = 1;
  for (const { obj, manager, sub } of steps) {
    const next: KubeObject =
      stored && sub === 'status'
        ? { ...stored, metadata: { ...stored.metadata }, status: structuredClone(obj.status) }
        : { ...structuredClone(obj), metadata: { ...structuredClone(obj.metadata), name: 'd', namespace: 'ns', uid: 'uid-1', managedFields: stored?.metadata.managedFields } };
    const want = referenceRecordUpdate(stored, next, manager, sub);
    const got = recordUpdate(stored, next, manager, sub);
    expect(timeless(got)).toEqual(timeless(want));
    if (got) next.metadata.managedFields = got;
    else delete next.metadata.managedFields;
    next.metadata.resourceVersion = String(++rv);
    stored = next;
  }
}

describe('managed fields of a chain of writes (field sets kept per recorded object)', () => {
  const step = fc.record({ obj: object, manager: fc.constantFrom('a', 'b', 'kube-controller-manager'), sub: fc.constantFrom(undefined, 'status', 'scale') });

  it('are what recomputing both objects’ field sets on every write recorded', () => {
    fc.assert(fc.property(fc.array(step, { minLength: 1, maxLength: 6 }), checkChain), { numRuns: 400 });
  });

  it('are the same when the table of paths is emptied between writes (ids from before it mean nothing)', () => {
    let resets = 0;
    onPathTableReset(() => resets++);
    const limit = setPathTableLimit(40);
    try {
      fc.assert(fc.property(fc.array(step, { minLength: 1, maxLength: 6 }), checkChain), { numRuns: 200 });
    } finally {
      setPathTableLimit(limit);
    }
    expect(resets).toBeGreaterThan(50);
  });

  it('are recomputed for an object whose metadata held only managedFields (the walk sees an empty metadata then)', () => {
    const bare: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: {}, data: { a: '1' } };
    const first = recordUpdate(undefined, bare, 'm', undefined);
    expect(timeless(first)).toEqual(timeless(referenceRecordUpdate(undefined, bare, 'm', undefined)));
    bare.metadata.managedFields = first;
    bare.metadata.resourceVersion = '2';
    const next: KubeObject = { ...bare, metadata: { ...bare.metadata }, data: { a: '2' } };
    expect(timeless(recordUpdate(bare, next, 'n', undefined))).toEqual(timeless(referenceRecordUpdate(bare, next, 'n', undefined)));
  });
});


/** A deterministic random stream (mulberry32), so a failing case shrinks to its seed. */
function stream(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `a` with parts of `b` mixed in at random depths: most of it unchanged, as in a real update. */
function mix(a: unknown, b: unknown, rnd: () => number): unknown {
  if (!isMap(a) || !isMap(b)) return structuredClone(rnd() < 0.7 ? a : b);
  const out: JsonMap = {};
  for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const r = rnd();
    const v = r < 0.6 ? structuredClone(a[k]) : r < 0.85 ? mix(a[k], b[k], rnd) : structuredClone(b[k]);
    if (v !== undefined) out[k] = v;
  }
  return out;
}

describe('changed fields of an update that keeps most of the object', () => {
  it('are what comparing every path on its own found, a subtree equal at its top or not', () => {
    fc.assert(
      fc.property(object, object, fc.integer(), fc.boolean(), (before, other, seed, status) => {
        const after = mix(before, other, stream(seed)) as JsonMap;
        const want = referenceChangedPaths(before, after, status, (o, p) => valueAt(o, pathId(p)));
        const got = changedPaths(before, after, status);
        expect([...texts(got.changed)].sort()).toEqual([...want.changed].sort());
        expect([...texts(got.removed)].sort()).toEqual([...want.removed].sort());
      }),
      { numRuns: 1000 },
    );
  });
});

/** The former toFieldsV1, verbatim: one tree of every path, rendered with its children sorted. */
function referenceToFieldsV1(set: Set<string>): JsonMap {
  interface TreeNode {
    self: boolean;
    children: Map<string, TreeNode>;
  }
  const root: TreeNode = { self: false, children: new Map() };
  for (const path of set) {
    let node = root;
    for (const seg of path.split('\n')) {
      let next = node.children.get(seg);
      if (!next) {
        next = { self: false, children: new Map() };
        node.children.set(seg, next);
      }
      node = next;
    }
    node.self = true;
  }
  const render = (n: TreeNode): JsonMap => {
    const out: JsonMap = {};
    if (n.self && n.children.size > 0) out['.'] = {};
    for (const k of [...n.children.keys()].sort()) out[k] = render(n.children.get(k)!);
    return out;
  };
  return render(root);
}

describe('FieldsV1 rendered per top-level field, from the subtrees rendered before', () => {
  const segment = fc.oneof(fc.constantFrom('f:a', 'f:b', 'k:{"name":"x"}', 'v:"y"', '.', '', 'f:\u0000', 'f:a\u0001'), fc.string({ maxLength: 3 }));
  const odd = fc.array(fc.array(segment, { minLength: 1, maxLength: 4 }).map((segs) => segs.join('\n')), { maxLength: 8 });

  it('is what rendering the whole set as one tree gave, the same shape asked again or not, in key order too', () => {
    fc.assert(
      fc.property(object, fc.boolean(), odd, (obj, status, extra) => {
        for (const set of [texts(fieldsOf(obj, status)), new Set([...texts(fieldsOf(obj, status)), ...extra]), new Set(extra)]) {
          const want = JSON.stringify(referenceToFieldsV1(set));
          expect(JSON.stringify(toFieldsV1(ids(set)))).toBe(want);
          // Asked again: now answered from the subtrees rendered the first time.
          expect(JSON.stringify(toFieldsV1(ids(set)))).toBe(want);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('tells apart sets that share their first path, more of them than are kept, asked in turn', () => {
    // Pods' metadata: the same first path, then an owner's uid of their own.
    const sets = Array.from({ length: 12 }, (_, i) => new Set(['f:metadata\nf:generateName', `f:metadata\nf:ownerReferences\nk:{"uid":"u-${i}"}`, ...(i % 3 ? ['f:metadata\nf:labels\nf:x'] : [])]));
    for (let round = 0; round < 3; round++) {
      for (const set of round === 1 ? [...sets].reverse() : sets) {
        expect(JSON.stringify(toFieldsV1(ids(set)))).toBe(JSON.stringify(referenceToFieldsV1(set)));
      }
    }
  });
});

// ---- The former fieldsOf, verbatim: a new names array per field, Object.entries per map.
const REF_SKIP_TOP = new Set(['apiVersion', 'kind', 'status']);
const REF_SKIP_META = new Set(['name', 'namespace', 'uid', 'resourceVersion', 'generation', 'creationTimestamp', 'managedFields', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'selfLink', 'generateName']);
function refKeySegment(item: JsonMap, keys: string[]): string {
  const k: JsonMap = {};
  for (const key of keys) {
    const v = item[key] ?? keyFieldDefault(key);
    if (v !== undefined) k[key] = v;
  }
  return `k:${JSON.stringify(k, Object.keys(k).sort())}`;
}
function refWalk(value: JsonMap, prefix: string, names: string[], kind: string | undefined, out: Set<string>, top: boolean, status = false): void {
  for (const [key, v] of Object.entries(value)) {
    if (v === undefined) continue;
    if (top && (status ? key !== 'status' : REF_SKIP_TOP.has(key))) continue;
    if (names.length === 1 && names[0] === 'metadata' && REF_SKIP_META.has(key)) continue;
    const names2 = [...names, key];
    const p = prefix ? `${prefix}\nf:${key}` : `f:${key}`;
    if (isMap(v) && Object.keys(v).length > 0 && !isAtomic(names2, kind)) {
      if (isGranularMap(names2)) out.add(p);
      refWalk(v, p, names2, kind, out, false);
      continue;
    }
    const keys = Array.isArray(v) ? listKeys(names2) : undefined;
    if (Array.isArray(v) && keys === 'set') {
      for (const item of v) out.add(`${p}\nv:${JSON.stringify(item)}`);
    } else if (Array.isArray(v) && Array.isArray(keys)) {
      for (const item of v) {
        if (!isMap(item)) continue;
        const ip = `${p}\n${refKeySegment(item, keys)}`;
        out.add(ip);
        refWalk(item, ip, names2, kind, out, false);
      }
    } else out.add(p);
  }
}
function referenceFieldsOf(obj: JsonMap, status = false): Set<string> {
  const out = new Set<string>();
  refWalk(obj, '', [], typeof obj['kind'] === 'string' ? obj['kind'] : undefined, out, true, status);
  return out;
}

describe('field sets walked with one shared array of names', () => {
  const service = fc.record(
    {
      apiVersion: fc.constant('v1'),
      kind: fc.constantFrom('Service', 'ReplicaSet', 'Pod', 'Secret'),
      metadata: fc.record({ name: small, labels: fc.dictionary(small, small, { maxKeys: 2 }), finalizers: fc.array(fc.constantFrom('a/b', 'c/d'), { maxLength: 2 }), generateName: small }, { requiredKeys: [] }),
      spec: fc.record(
        {
          selector: fc.oneof(fc.dictionary(small, small, { maxKeys: 2 }), fc.record({ matchLabels: fc.dictionary(small, small, { maxKeys: 2 }) })),
          ports: fc.array(fc.record({ port: fc.constantFrom(80, 443), protocol: fc.constantFrom(undefined, 'UDP'), name: small }), { maxLength: 3 }),
          template: fc.record({ spec: fc.record({ containers: fc.array(container, { maxLength: 2 }), volumes: fc.array(fc.record({ name: small, emptyDir: fc.constant({}) }), { maxLength: 2 }) }) }),
        },
        { requiredKeys: [] },
      ),
      data: fc.dictionary(fc.string(), fc.oneof(fc.string(), fc.constant(undefined)), { maxKeys: 3 }),
      extra: fc.jsonValue(),
      status,
    },
    { requiredKeys: ['apiVersion', 'kind'] },
  );

  it('are the sets the former walk found, paths in the same order', () => {
    fc.assert(
      fc.property(fc.oneof(object, service), fc.boolean(), (obj, st) => {
        expect([...fieldsOf(obj as JsonMap, st)].map(pathText)).toEqual([...referenceFieldsOf(obj as JsonMap, st)]);
      }),
      { numRuns: 1000 },
    );
  });
});
