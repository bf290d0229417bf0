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
import { canonicalJson } from '../../common/json/canonical-json.js';
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
  const fields: FieldsV1 = { ...entry.fieldsV1 };
  for (const field of WRITE_ONLY[object.kind] ?? []) delete fields[`f:${field}`];
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
  if (Array.isArray(value)) {
    const segments = Object.keys(fields);
    const keyed = segments.filter((s) => s.startsWith('k:')).map((s) => ({ key: listKey(s), fields: fields[s]! }));
    const sets = new Set(segments.filter((s) => s.startsWith('v:')).map((s) => canonicalJson(JSON.parse(s.slice(2)))));
    const out: string[] = [];
    for (const item of value) {
      if (sets.size && sets.has(canonicalJson(item))) {
        out.push(normalisedJson(item));
        continue;
      }
      const match = keyed.find((k) => matchesKey(item, k.key));
      if (match) out.push(projectedJson(item, match.fields));
    }
    return `[${out.join(',')}]`;
  }
  if (value && typeof value === 'object') {
    const owned: Array<[string, FieldsV1]> = [];
    for (const segment of Object.keys(fields)) {
      if (!segment.startsWith('f:')) continue;
      const name = segment.slice(2);
      if (name in value) owned.push([name, fields[segment]!]);
    }
    owned.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    let out = '';
    for (const [name, sub] of owned) {
      const child = value[name];
      if (child === undefined) continue;
      const text = Object.keys(sub).some((s) => s !== '.') ? projectedJson(child, sub) : normalisedJson(child);
      out += `${out ? ',' : ''}${JSON.stringify(name)}:${text}`;
    }
    return `{${out}}`;
  }
  return normalisedJson(value);
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
  if (Array.isArray(value)) return `[${value.map(normalisedJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const keys = Object.keys(value).sort();
    let out = '';
    for (const k of keys) {
      const v = (value as Record<string, unknown>)[k];
      if (v === undefined) continue;
      out += `${out ? ',' : ''}${JSON.stringify(k)}:${normalisedJson(v)}`;
    }
    return `{${out}}`;
  }
  return JSON.stringify(scalar(value as Json));
}

function scalar(value: Json | undefined): string {
  return value === null || value === undefined ? 'null' : typeof value === 'string' ? value : JSON.stringify(value);
}
