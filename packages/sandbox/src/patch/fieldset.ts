import { deepEqual, isMap, type JsonMap } from '../types.js';
import { childPath, fieldChild, headOf, isUnder, onPathTableReset, parentOf, ROOT, segmentOf, segmentsOf, type PathId } from './paths.js';
import { isAtomic, isGranularMap, keyFieldDefault, listKeys } from './schema.js';

/** A set of field paths, as ids of paths.ts (FieldsV1 segments "f:spec", "k:{...}", "v:..." from the root). */
export type FieldSet = Set<PathId>;

/** Identity and server-owned fields never recorded as managed. */
const SKIP_TOP = new Set(['apiVersion', 'kind', 'status']);
const SKIP_META = new Set(['name', 'namespace', 'uid', 'resourceVersion', 'generation', 'creationTimestamp', 'managedFields', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'selfLink', 'generateName']);

function keySegment(item: JsonMap, keys: string[]): string {
  const k: JsonMap = {};
  for (const key of keys) {
    const v = item[key] ?? keyFieldDefault(key);
    if (v !== undefined) k[key] = v;
  }
  return `k:${JSON.stringify(k, Object.keys(k).sort())}`;
}

/**
 * `names` is the field names from the root down to `value` (no list indices); it is one array
 * shared by the whole walk, a name pushed before going down and popped after (the schema
 * helpers only read it): an array per field was most of the walk's garbage.
 */
function walk(value: JsonMap, keys: string[], at: PathId, names: string[], kind: string | undefined, out: FieldSet, top: boolean, status: boolean): void {
  const inMeta = names.length === 1 && names[0] === 'metadata';
  for (const key of keys) {
    const v = value[key];
    if (v === undefined) continue;
    if (top && (status ? key !== 'status' : SKIP_TOP.has(key))) continue;
    if (inMeta && SKIP_META.has(key)) continue;
    names.push(key);
    const p = fieldChild(at, key);
    const vkeys = isMap(v) ? Object.keys(v) : undefined;
    if (vkeys && vkeys.length > 0 && !isAtomic(names, kind)) {
      if (isGranularMap(names)) out.add(p);
      walk(v as JsonMap, vkeys, p, names, kind, out, false, false);
    } else {
      const lkeys = Array.isArray(v) ? listKeys(names) : undefined;
      if (Array.isArray(v) && lkeys === 'set') {
        for (const item of v) out.add(childPath(p, `v:${JSON.stringify(item)}`));
      } else if (Array.isArray(v) && Array.isArray(lkeys)) {
        for (const item of v) {
          if (!isMap(item)) continue;
          const ip = childPath(p, keySegment(item, lkeys));
          out.add(ip);
          walk(item, Object.keys(item), ip, names, kind, out, false, false);
        }
      } else out.add(p);
    }
    names.pop();
  }
}

/** The fields an object (or applied configuration) sets; `status` selects only the status subtree. */
export function fieldsOf(obj: JsonMap, status = false): FieldSet {
  const out: FieldSet = new Set();
  walk(obj, Object.keys(obj), ROOT, [], typeof obj['kind'] === 'string' ? obj['kind'] : undefined, out, true, status);
  return out;
}

interface Located {
  found: boolean;
  value: unknown;
}

const MISSING: Located = { found: false, value: undefined };

/** Parsed `k:`/`v:` segment payloads (JSON text → value), shared read-only; bounded. */
const segmentValues = new Map<string, unknown>();

function segmentValue(text: string): unknown {
  let v = segmentValues.get(text);
  if (v === undefined) {
    v = JSON.parse(text) as unknown;
    if (segmentValues.size >= 20000) segmentValues.clear();
    segmentValues.set(text, v);
  }
  return v;
}

/** One segment down from `cur`. */
function step(cur: unknown, seg: string): Located {
  if (seg.startsWith('f:')) {
    if (!isMap(cur) || !(seg.slice(2) in cur)) return MISSING;
    return { found: true, value: cur[seg.slice(2)] };
  }
  if (seg.startsWith('k:')) {
    const key = segmentValue(seg.slice(2)) as JsonMap;
    if (!Array.isArray(cur)) return MISSING;
    const item = cur.find((i) => isMap(i) && Object.entries(key).every(([k, v]) => deepEqual(i[k] ?? keyFieldDefault(k), v)));
    return item === undefined ? MISSING : { found: true, value: item };
  }
  if (seg.startsWith('v:')) {
    const shared = segmentValue(seg.slice(2));
    if (!Array.isArray(cur) || !cur.some((i) => deepEqual(i, shared))) return MISSING;
    // A structured value is handed out as a fresh copy (callers may edit beneath it).
    return { found: true, value: typeof shared === 'object' && shared !== null ? (JSON.parse(seg.slice(2)) as unknown) : shared };
  }
  return { found: true, value: cur };
}

/** Locate the value at a path; `found` is false when any segment is missing. */
export function valueAt(obj: unknown, path: PathId): Located {
  let cur: Located = { found: true, value: obj };
  for (const seg of segmentsOf(path)) {
    cur = step(cur.value, seg);
    if (!cur.found) return MISSING;
  }
  return cur;
}

/**
 * valueAt for many paths of one object: each prefix is walked once (a path's value is one step
 * down from its parent's), instead of every path walking down from the root again.
 */
function locator(obj: unknown): (path: PathId) => Located {
  const memo = new Map<PathId, Located>();
  const root: Located = { found: true, value: obj };
  const locate = (path: PathId): Located => {
    if (path === ROOT) return root;
    let r = memo.get(path);
    if (r) return r;
    const parent = locate(parentOf(path));
    r = parent.found ? step(parent.value, segmentOf(path)) : MISSING;
    memo.set(path, r);
    return r;
  };
  return locate;
}

/** Remove the value at a path in place (the object must be a private copy). */
export function removeAt(obj: unknown, path: PathId): void {
  if (path === ROOT) return;
  const up = parentOf(path);
  const last = segmentOf(path);
  const parent = valueAt(obj, up);
  if (!parent.found) return;
  const cur = parent.value;
  if (last.startsWith('f:') && isMap(cur)) {
    delete cur[last.slice(2)];
    // A struct emptied by the removal goes too (structured-merge-diff leaves it null, which the
    // typed decoder drops): no `tcpSocket: {}` left behind when a probe moves to httpGet.
    if (Object.keys(cur).length === 0 && up !== ROOT && segmentOf(up).startsWith('f:')) {
      const names = segmentsOf(up).filter((x) => x.startsWith('f:')).map((x) => x.slice(2));
      if (!isGranularMap(names)) removeAt(obj, up);
    }
  }
  else if (Array.isArray(cur)) {
    const target = valueAt(obj, path);
    if (!target.found) return;
    const idx = last.startsWith('v:') ? cur.findIndex((i) => deepEqual(i, target.value)) : cur.indexOf(target.value);
    if (idx >= 0) cur.splice(idx, 1);
  }
}

/** Does the set hold this path or anything beneath it? */
export function ownsUnder(set: FieldSet, path: PathId): boolean {
  if (set.has(path)) return true;
  for (const p of set) if (isUnder(p, path)) return true;
  return false;
}

/**
 * Rendered FieldsV1 subtrees, found again by the paths they were rendered from. Field sets of one
 * shape recur with every environment: each Event, a Pod's spec from its template, a Deployment's
 * status. Shared read-only, like every stored object; bounded. Looked up by the group's first
 * path, then compared path by path.
 */
const renderedSubtrees = new Map<PathId, { paths: PathId[]; sub: JsonMap }[]>();
let renderedCount = 0;
/** Variants kept per first path (a uid in a path makes every object's its own). */
const VARIANTS = 4;

onPathTableReset(() => {
  renderedSubtrees.clear();
  renderedCount = 0;
});

function samePaths(a: PathId[], b: PathId[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function renderedSubtree(head: PathId, paths: PathId[]): JsonMap {
  const first = paths[0]!;
  const known = renderedSubtrees.get(first);
  if (known) for (const v of known) if (samePaths(v.paths, paths)) return v.sub;
  const sub = renderTree(head, paths);
  if (renderedCount >= 5000) {
    renderedSubtrees.clear();
    renderedCount = 0;
  }
  let list = renderedSubtrees.get(first);
  if (!list) renderedSubtrees.set(first, (list = []));
  if (list.length >= VARIANTS) list.shift();
  else renderedCount++;
  list.push({ paths, sub });
  return sub;
}

function bySegment(a: PathId, b: PathId): number {
  const x = segmentOf(a);
  const y = segmentOf(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * Render a field set as FieldsV1 JSON (`f:`/`k:`/`v:` keys, "." for a node owned itself). Each
 * top-level field's subtree depends only on the paths under it, so it is rendered from those
 * alone, or taken from the ones rendered before from the same paths.
 */
export function toFieldsV1(set: FieldSet): JsonMap {
  const groups = new Map<PathId, PathId[]>();
  for (const path of set) {
    if (path === ROOT) continue;
    const head = headOf(path);
    const group = groups.get(head);
    if (group) group.push(path);
    else groups.set(head, [path]);
  }
  const out: JsonMap = {};
  for (const head of [...groups.keys()].sort(bySegment)) {
    const paths = groups.get(head)!;
    out[segmentOf(head)] = paths.length === 1 && paths[0] === head ? {} : renderedSubtree(head, paths);
  }
  return out;
}

/** The FieldsV1 subtree of `head` from paths under it: children sorted, "." where a node is owned itself and has children. */
function renderTree(head: PathId, paths: PathId[]): JsonMap {
  const owned = new Set(paths);
  const kids = new Map<PathId, PathId[]>();
  const linked = new Set<PathId>();
  for (const path of paths) {
    // Link each path to its parent, up to the first one linked before (its ancestors are too).
    for (let p = path; p !== head && !linked.has(p); p = parentOf(p)) {
      linked.add(p);
      const parent = parentOf(p);
      const list = kids.get(parent);
      if (list) list.push(p);
      else kids.set(parent, [p]);
    }
  }
  const render = (n: PathId): JsonMap => {
    const out: JsonMap = {};
    const children = kids.get(n);
    if (!children) return out;
    if (owned.has(n)) out['.'] = {};
    for (const c of children.sort(bySegment)) out[segmentOf(c)] = render(c);
    return out;
  };
  return render(head);
}

export function fromFieldsV1(fields: unknown): FieldSet {
  const out: FieldSet = new Set();
  const visit = (n: unknown, at: PathId): void => {
    if (!isMap(n)) return;
    for (const k of Object.keys(n)) {
      const child = n[k];
      if (k === '.') {
        if (at !== ROOT) out.add(at);
        continue;
      }
      const p = childPath(at, k);
      if (isMap(child) && Object.keys(child).length > 0) visit(child, p);
      else out.add(p);
    }
  };
  visit(fields, ROOT);
  return out;
}

/** ".spec.template.spec.containers[name="app"].image", as the API server prints conflicts. */
export function pathToString(path: PathId): string {
  let out = '';
  for (const seg of segmentsOf(path)) {
    if (seg.startsWith('f:')) out += `.${seg.slice(2)}`;
    else if (seg.startsWith('k:')) {
      const key = JSON.parse(seg.slice(2)) as JsonMap;
      out += `[${Object.entries(key).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(',')}]`;
    } else if (seg.startsWith('v:')) out += `[=${seg.slice(2)}]`;
  }
  return out;
}

/** Paths whose values differ between two objects (added, changed or removed). */
export function changedPaths(oldObj: JsonMap | undefined, newObj: JsonMap, status = false): { changed: FieldSet; removed: FieldSet } {
  return changedPathsOf(oldObj, newObj, oldObj ? fieldsOf(oldObj, status) : new Set<PathId>(), fieldsOf(newObj, status));
}

/** changedPaths with both objects' field sets already at hand (fieldsOf with the same `status`). */
export function changedPathsOf(oldObj: JsonMap | undefined, newObj: JsonMap, oldSet: FieldSet, newSet: FieldSet): { changed: FieldSet; removed: FieldSet } {
  const changed: FieldSet = new Set();
  const removed: FieldSet = new Set();
  const inOld = locator(oldObj);
  const inNew = locator(newObj);
  // Equal values one level up give equal values here: a step down (a member, the first item with
  // a key, a set value) takes deep-equal inputs to deep-equal outputs. So a subtree that did not
  // change is compared once, at its top, instead of once per path beneath it.
  const equal = new Map<PathId, boolean>();
  const equalAt = (path: PathId): boolean => {
    let r = equal.get(path);
    if (r !== undefined) return r;
    const parent = parentOf(path);
    r = (parent !== ROOT && equalAt(parent)) || deepEqual(inOld(path).value, inNew(path).value);
    equal.set(path, r);
    return r;
  };
  for (const p of newSet) {
    if (!oldSet.has(p)) changed.add(p);
    else if (!equalAt(p)) changed.add(p);
  }
  for (const p of oldSet) if (!newSet.has(p)) removed.add(p);
  return { changed, removed };
}
