import { LRUCache } from 'lru-cache';
import { asArray, asMap, isMap, nowIso, type JsonMap, type KubeObject } from '../types.js';

const SAFE = 'bcdfghjklmnpqrstvwxz2456789';

/**
 * JSON with sorted keys, written into one string: every new ReplicaSet's template (and every
 * Deployment's, once per stored object) is hashed, and the arrays of the map-sort-join form were
 * most of what it allocated. test/pure.spec.ts checks it against that form.
 */
export function canonical(v: unknown): string {
  if (Array.isArray(v)) {
    let out = '[';
    for (let i = 0; i < v.length; i++) {
      if (i > 0) out += ',';
      // A hole, or a value JSON has no text for, stays empty, as join leaves it.
      const text = i in v ? (canonical(v[i]) as string | undefined) : undefined;
      if (text !== undefined) out += text;
    }
    return `${out}]`;
  }
  if (isMap(v)) {
    const keys = Object.keys(v);
    for (let i = 1; i < keys.length; i++) {
      if (keys[i - 1]! > keys[i]!) {
        keys.sort();
        break;
      }
    }
    let out = '{';
    for (const k of keys) {
      const value = v[k];
      if (value === undefined) continue;
      out += `${out.length > 1 ? ',' : ''}${JSON.stringify(k)}:${canonical(value)}`;
    }
    return `${out}}`;
  }
  return JSON.stringify(v);
}

/** The pod-template-hash label value: FNV-1a of the template, safe-encoded like the real one. */
export function podTemplateHash(template: unknown): string {
  let h = 0x811c9dc5;
  const s = canonical(template);
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return [...String(h)].map((c) => SAFE[c.charCodeAt(0) % SAFE.length]).join('');
}

export const HASH_LABEL = 'pod-template-hash';
export const REVISION = 'deployment.kubernetes.io/revision';

/** Canonical text of a template without its pod-template-hash label, per (immutable, stored) template, for recently read ones. */
const strippedTexts = new LRUCache<object, string>({ max: 16_384 });

function strippedCanonical(t: unknown): string {
  const cached = isMap(t) ? strippedTexts.get(t) : undefined;
  if (cached !== undefined) return cached;
  // A shallow copy will do: canonical() only reads.
  const m = asMap(t);
  const meta = asMap(m['metadata']);
  const labels = { ...asMap(meta['labels']) };
  delete labels[HASH_LABEL];
  const text = canonical({ ...m, metadata: { ...meta, labels } });
  if (isMap(t)) strippedTexts.set(t, text);
  return text;
}

/** Pod templates equal apart from the pod-template-hash label? */
export function sameTemplate(a: unknown, b: unknown): boolean {
  return strippedCanonical(a) === strippedCanonical(b);
}

/** Resolve maxSurge/maxUnavailable (ints or percentages) against the desired replicas. */
export function resolveFenceposts(d: KubeObject): { surge: number; unavailable: number } {
  const spec = asMap(d.spec);
  const desired = Number(spec['replicas'] ?? 1);
  const strategy = asMap(spec['strategy']);
  if (strategy['type'] === 'Recreate') return { surge: 0, unavailable: desired };
  const ru = asMap(strategy['rollingUpdate']);
  const resolve = (v: unknown, def: string, roundUp: boolean): number => {
    const val = v ?? def;
    if (typeof val === 'number') return val;
    const pct = Number(String(val).replace('%', ''));
    const x = (pct * desired) / 100;
    return roundUp ? Math.ceil(x) : Math.floor(x);
  };
  const surge = resolve(ru['maxSurge'], '25%', true);
  let unavailable = resolve(ru['maxUnavailable'], '25%', false);
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return { surge, unavailable: Math.min(unavailable, desired) };
}

export function revisionOf(rs: KubeObject): number {
  return Number(rs.metadata.annotations?.[REVISION] ?? 0);
}

export function replicasOf(rs: KubeObject): number {
  return Number(asMap(rs.spec)['replicas'] ?? 0);
}

export function statusNum(o: KubeObject, k: string): number {
  return Number(asMap(o.status)[k] ?? 0);
}

export function findCondition(status: JsonMap, type: string): JsonMap | undefined {
  return asArray(status['conditions']).filter(isMap).find((c) => c['type'] === type);
}

/** A condition keeping lastTransitionTime when the status did not flip. */
export function makeCondition(prev: JsonMap | undefined, type: string, status: 'True' | 'False' | 'Unknown', reason: string, message: string, touch: boolean): JsonMap {
  const now = nowIso();
  const flipped = !prev || prev['status'] !== status;
  const same = prev && prev['reason'] === reason && prev['message'] === message && !flipped;
  return {
    type,
    status,
    lastUpdateTime: touch || !same ? now : prev['lastUpdateTime'],
    lastTransitionTime: flipped ? now : prev['lastTransitionTime'],
    reason,
    message,
  };
}
