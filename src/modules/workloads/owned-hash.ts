// What Berth compares to find drift without reading objects: a hash of the fields Berth owns.
//
// Desired side: the rendered object itself (what Berth applies is exactly what it owns). Live side:
// the object projected onto the fields its `berth` server-side-apply entry in managedFields lists
// (FieldsV1). A hand edit either changes a value Berth owns (the projection differs) or, as an Update,
// takes the field over (it leaves Berth's set, and the projection differs); a deletion removes the
// object. Fields others own (status, defaults, an HPA's replicas) are not in the projection, so they
// never count. Both sides are canonical JSON with scalars as strings (Kubernetes echoes some numbers
// and strings in the other form), hashed to 16 hex digits: that is all an informer keeps per object.
//
// A Secret's data is excluded on both sides: Berth never compares secret values read back from a
// cluster (its own rendering decides when they change).
import { createHash } from 'node:crypto';
import { canonicalJson, inCodeUnitOrder, jsonKey, sortedKeys } from '../../common/json/canonical-json.js';
import type { KubeObject } from '../clusters/kube/kube-gateway.js';
import { FIELD_MANAGER } from '../clusters/kube/kube-gateway.js';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type FieldsV1 = { [segment: string]: FieldsV1 };

const WRITE_ONLY: Record<string, readonly string[]> = { Secret: ['data', 'stringData'] };

/** Hash of what Berth sets in a rendered object. */
export function desiredHash(object: KubeObject): string {
  const { apiVersion: _a, kind: _k, metadata, ...rest } = object;
  const { name: _n, namespace: _ns, ...meta } = metadata;
  const body: Record<string, unknown> = { ...rest };
  for (const field of WRITE_ONLY[object.kind] ?? []) delete body[field];
  if (Object.keys(meta).length) body.metadata = meta;
  return hash16(normalisedJson(body));
}

/** Hash of the live object's values at the fields Berth's apply owns; a fixed marker when Berth owns nothing. */
export function liveHash(object: KubeObject): string {
  const entry = ((object.metadata.managedFields ?? []) as Array<{ manager?: string; operation?: string; subresource?: string; fieldsV1?: FieldsV1 }>).find(
    (e) => e.manager === FIELD_MANAGER && e.operation === 'Apply' && !e.subresource,
  );
  if (!entry?.fieldsV1) return 'not-owned';
  let fields: FieldsV1 = entry.fieldsV1;
  const writeOnly = WRITE_ONLY[object.kind];
  if (writeOnly) {
    // A copy only for the kinds that have write-only fields: this runs for every watch event.
    fields = { ...fields };
    for (const field of writeOnly) delete fields[`f:${field}`];
  }
  return hash16(projectedJson(object as unknown as Json, fields));
}

/**
 * normalisedJson of the parts of `value` a FieldsV1 set names (leaves whole, maps and keyed lists by
 * their owned members), written in one pass: every watch event of a managed object is hashed, and
 * building the projection first and serialising it then cost twice as much (docs/performance.md,
 * "Seventh round").
 * test/unit/workloads/projected-json.spec.ts checks it against the two-step form it replaced.
 */
export function projectedJson(value: Json, fields: FieldsV1): string {
  if (Array.isArray(value)) return projectedList(value, fields);
  if (value && typeof value === 'object') {
    // The owned `f:` segments; sorting them sorts their names (same prefix). A member the object
    // lacks reads as undefined below and is left out there.
    const segments: string[] = [];
    for (const segment in fields) if (segment.startsWith('f:')) segments.push(segment);
    let out = '{';
    for (const segment of inCodeUnitOrder(segments)) {
      const name = segment.slice(2);
      const child = value[name];
      if (child === undefined) continue;
      const sub = fields[segment]!;
      out += `${out.length > 1 ? ',' : ''}${jsonKey(name)}:${hasMembers(sub) ? projectedJson(child, sub) : normalisedJson(child)}`;
    }
    return `${out}}`;
  }
  return normalisedJson(value);
}

function projectedList(value: Json[], fields: FieldsV1): string {
  const keyed: Array<{ key: Record<string, Json>; fields: FieldsV1 }> = [];
  let sets: Set<string> | undefined;
  for (const segment in fields) {
    if (segment.startsWith('k:')) keyed.push({ key: listKey(segment), fields: fields[segment]! });
    else if (segment.startsWith('v:')) (sets ??= new Set()).add(canonicalJson(JSON.parse(segment.slice(2))));
  }
  let out = '[';
  for (const item of value) {
    let text: string | undefined;
    if (sets?.has(canonicalJson(item))) text = normalisedJson(item);
    else {
      const match = keyed.find((k) => matchesKey(item, k.key));
      if (match) text = projectedJson(item, match.fields);
    }
    if (text !== undefined) out += `${out.length > 1 ? ',' : ''}${text}`;
  }
  return `${out}]`;
}

/** True when a FieldsV1 node names members (anything but `.`, the node itself): then it is projected, not taken whole. */
function hasMembers(fields: FieldsV1): boolean {
  for (const segment in fields) if (segment !== '.') return true;
  return false;
}

/**
 * A keyed list item's key (`k:{"name":"web"}`) parsed: the same few keys recur in every object of
 * a kind (containers, ports, env). Bounded; shared read-only.
 */
const listKeys = new Map<string, Record<string, Json>>();
function listKey(segment: string): Record<string, Json> {
  let key = listKeys.get(segment);
  if (!key) {
    if (listKeys.size >= 4096) listKeys.clear();
    key = JSON.parse(segment.slice(2)) as Record<string, Json>;
    listKeys.set(segment, key);
  }
  return key;
}

function matchesKey(item: Json, key: Record<string, Json>): boolean {
  if (!item || typeof item !== 'object' || Array.isArray(item)) return false;
  // A key field the item leaves out takes its default (a port's protocol is TCP).
  return Object.entries(key).every(([k, v]) => scalar(item[k] ?? (k === 'protocol' ? 'TCP' : null)) === scalar(v));
}

function hash16(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

/**
 * Canonical JSON (sorted keys, undefined fields dropped) with every scalar as a string, since
 * Kubernetes may echo "1" as 1 and back. One pass, no normalised copy built first: every watch event
 * of a managed object is hashed (the informers' largest cost in the row 7 profile).
 * test/unit/workloads/normalised-json.spec.ts checks it against the two-pass form it replaced.
 */
export function normalisedJson(value: unknown): string {
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i += 1) {
      if (i > 0) out += ',';
      // A hole stays empty, as Array.prototype.join leaves it.
      if (i in value) out += normalisedJson(value[i]);
    }
    return `${out}]`;
  }
  if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    let out = '{';
    for (const k of sortedKeys(record)) {
      const v = record[k];
      if (v === undefined) continue;
      out += `${out.length > 1 ? ',' : ''}${jsonKey(k)}:${normalisedJson(v)}`;
    }
    return `${out}}`;
  }
  return JSON.stringify(scalar(value as Json));
}

function scalar(value: Json | undefined): string {
  return value === null || value === undefined ? 'null' : typeof value === 'string' ? value : JSON.stringify(value);
}
