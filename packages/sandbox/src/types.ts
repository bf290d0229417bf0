import rfdc from 'rfdc';

/** Loosely typed Kubernetes objects as they travel through the sandbox (JSON values). */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export type JsonMap = Record<string, unknown>;

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface ManagedFieldsEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time: string;
  fieldsType: 'FieldsV1';
  fieldsV1: JsonMap;
  subresource?: string;
}

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  finalizers?: string[];
  managedFields?: ManagedFieldsEntry[];
  [key: string]: unknown;
}

export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  spec?: JsonMap;
  status?: JsonMap;
  [key: string]: unknown;
}

export function isMap(v: unknown): v is JsonMap {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

// rfdc copies plain JSON several times faster than structuredClone (which serializes and
// deserializes), and the sandbox clones on every write: a controller's status update, an apply.
const cloneJson = rfdc({ proto: false, circles: false });

/** A deep copy of a JSON value (objects as the API server stores them: no cycles, no class instances). */
export function deepClone<T>(v: T): T {
  return cloneJson(v);
}

/**
 * A shallow copy that later members can be added to cheaply. On Node 20's V8, an object made by
 * spreading (`{ ...o }`, `{ ...o, extra }`) has a map outside the transition tree: every member
 * added to it afterwards builds a new map, ~1.5 µs each against ~40 ns (docs/performance.md, tenth
 * round). Object.assign onto `{}` follows the ordinary transitions. A `__proto__` member (JSON.parse
 * makes one an own member) would go through the prototype setter there, so such an object is spread.
 */
export function shallowCopy<T extends object>(o: T): T {
  return Object.hasOwn(o, '__proto__') ? { ...o } : Object.assign({}, o);
}

/** Structural equality for JSON values (key order insensitive). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ao = a as JsonMap;
  const bo = b as JsonMap;
  // Members set to undefined count as absent. Counted, not collected: deepEqual runs on every
  // write (managed fields, controllers' no-op checks) and the key arrays were its garbage.
  let defined = 0;
  for (const k in ao) {
    if (ao[k] === undefined) continue;
    if (!deepEqual(ao[k], bo[k])) return false;
    defined += 1;
  }
  for (const k in bo) if (bo[k] !== undefined) defined -= 1;
  return defined === 0;
}

/** Read a dotted path ("spec.template.spec") from an object. */
export function getPath(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const part of path.split('.')) {
    if (!isMap(cur)) return undefined;
    cur = cur[part];
  }
  return cur;
}

export function asMap(v: unknown): JsonMap {
  return isMap(v) ? v : {};
}

export function asArray(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

let isoSecond = -1;
let isoText = '';
/** RFC 3339 timestamp with second precision (as metav1.Time serializes), cached per second. */
export function nowIso(): string {
  const now = Date.now();
  const second = Math.floor(now / 1000);
  if (second !== isoSecond) {
    isoSecond = second;
    isoText = new Date(second * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }
  return isoText;
}

export function nowMicro(): string {
  return new Date().toISOString().replace(/Z$/, '000Z');
}
