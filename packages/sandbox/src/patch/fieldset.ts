import { deepEqual, isMap, type JsonMap } from '../types.js';
import { isAtomic, isGranularMap, keyFieldDefault, listKeys } from './schema.js';

/** A set of field paths; a path is FieldsV1 segments ("f:spec", "k:{...}", "v:...") joined by "\n". */
export type FieldSet = Set<string>;

const SEP = '\n';
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

function walk(value: JsonMap, prefix: string, names: string[], kind: string | undefined, out: FieldSet, top: boolean, status = false): void {
  for (const [key, v] of Object.entries(value)) {
    if (v === undefined) continue;
    if (top && (status ? key !== 'status' : SKIP_TOP.has(key))) continue;
    if (names.length === 1 && names[0] === 'metadata' && SKIP_META.has(key)) continue;
    const names2 = [...names, key];
    const p = prefix ? `${prefix}${SEP}f:${key}` : `f:${key}`;
    if (isMap(v) && Object.keys(v).length > 0 && !isAtomic(names2, kind)) {
      if (isGranularMap(names2)) out.add(p);
      walk(v, p, names2, kind, out, false);
      continue;
    }
    const keys = Array.isArray(v) ? listKeys(names2) : undefined;
    if (Array.isArray(v) && keys === 'set') {
      for (const item of v) out.add(`${p}${SEP}v:${JSON.stringify(item)}`);
    } else if (Array.isArray(v) && Array.isArray(keys)) {
      for (const item of v) {
        if (!isMap(item)) continue;
        const ip = `${p}${SEP}${keySegment(item, keys)}`;
        out.add(ip);
        walk(item, ip, names2, kind, out, false);
      }
    } else out.add(p);
  }
}

/** The fields an object (or applied configuration) sets; `status` selects only the status subtree. */
export function fieldsOf(obj: JsonMap, status = false): FieldSet {
  const out: FieldSet = new Set();
  walk(obj, '', [], typeof obj['kind'] === 'string' ? obj['kind'] : undefined, out, true, status);
  return out;
}

/** Locate the value at a path; `found` is false when any segment is missing. */
export function valueAt(obj: unknown, path: string): { found: boolean; value: unknown } {
  let cur: unknown = obj;
  for (const seg of path.split(SEP)) {
    if (seg.startsWith('f:')) {
      if (!isMap(cur) || !(seg.slice(2) in cur)) return { found: false, value: undefined };
      cur = cur[seg.slice(2)];
    } else if (seg.startsWith('k:')) {
      const key = JSON.parse(seg.slice(2)) as JsonMap;
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

/** Remove the value at a path in place (the object must be a private copy). */
export function removeAt(obj: unknown, path: string): void {
  const segs = path.split(SEP);
  const last = segs.pop()!;
  const parent = segs.length ? valueAt(obj, segs.join(SEP)) : { found: true, value: obj };
  if (!parent.found) return;
  const cur = parent.value;
  if (last.startsWith('f:') && isMap(cur)) {
    delete cur[last.slice(2)];
    // A struct emptied by the removal goes too (structured-merge-diff leaves it null, which the
    // typed decoder drops): no `tcpSocket: {}` left behind when a probe moves to httpGet.
    const parentLast = segs[segs.length - 1];
    if (Object.keys(cur).length === 0 && parentLast?.startsWith('f:') && !isGranularMap(segs.filter((x) => x.startsWith('f:')).map((x) => x.slice(2)))) {
      removeAt(obj, segs.join(SEP));
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
export function ownsUnder(set: FieldSet, path: string): boolean {
  if (set.has(path)) return true;
  const prefix = path + SEP;
  for (const p of set) if (p.startsWith(prefix)) return true;
  return false;
}

interface Node {
  self: boolean;
  children: Map<string, Node>;
}

/** Render a field set as FieldsV1 JSON (`f:`/`k:`/`v:` keys, "." for a node owned itself). */
export function toFieldsV1(set: FieldSet): JsonMap {
  const root: Node = { self: false, children: new Map() };
  for (const path of set) {
    let node = root;
    for (const seg of path.split(SEP)) {
      let next = node.children.get(seg);
      if (!next) {
        next = { self: false, children: new Map() };
        node.children.set(seg, next);
      }
      node = next;
    }
    node.self = true;
  }
  const render = (n: Node): JsonMap => {
    const out: JsonMap = {};
    if (n.self && n.children.size > 0) out['.'] = {};
    for (const k of [...n.children.keys()].sort()) out[k] = render(n.children.get(k)!);
    return out;
  };
  return render(root);
}

export function fromFieldsV1(fields: unknown): FieldSet {
  const out: FieldSet = new Set();
  const visit = (n: unknown, prefix: string): void => {
    if (!isMap(n)) return;
    for (const [k, child] of Object.entries(n)) {
      if (k === '.') {
        if (prefix) out.add(prefix);
        continue;
      }
      const p = prefix ? `${prefix}${SEP}${k}` : k;
      if (isMap(child) && Object.keys(child).length > 0) visit(child, p);
      else out.add(p);
    }
  };
  visit(fields, '');
  return out;
}

/** ".spec.template.spec.containers[name="app"].image", as the API server prints conflicts. */
export function pathToString(path: string): string {
  let out = '';
  for (const seg of path.split(SEP)) {
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
  const oldSet = oldObj ? fieldsOf(oldObj, status) : new Set<string>();
  const newSet = fieldsOf(newObj, status);
  const changed: FieldSet = new Set();
  const removed: FieldSet = new Set();
  for (const p of newSet) {
    if (!oldSet.has(p)) changed.add(p);
    else if (!deepEqual(valueAt(oldObj, p).value, valueAt(newObj, p).value)) changed.add(p);
  }
  for (const p of oldSet) if (!newSet.has(p)) removed.add(p);
  return { changed, removed };
}
