// Drift detection without writes: an object has drifted when something Berth set is no longer
// there with the same value. Fields the server added (defaults, status, managedFields) do not count.

/** True when every value in `desired` is present, equal, in `live` (recursively; lists item by item). */
export function isSubset(desired: unknown, live: unknown): boolean {
  if (desired === null || desired === undefined) return true;
  if (Array.isArray(desired)) {
    if (!Array.isArray(live) || live.length !== desired.length) return false;
    return desired.every((item, i) => isSubset(item, live[i]));
  }
  if (typeof desired === 'object') {
    if (!live || typeof live !== 'object' || Array.isArray(live)) return false;
    return Object.entries(desired as Record<string, unknown>).every(([key, value]) => isSubset(value, (live as Record<string, unknown>)[key]));
  }
  return normalise(desired) === normalise(live);
}

/** Kubernetes echoes some scalars in another form (ints for quantities written as strings). */
function normalise(value: unknown): string {
  return typeof value === 'number' ? String(value) : JSON.stringify(value);
}

export { objectKey } from './render/object-key.js';

export function parseObjectKey(key: string): { apiVersion: string; kind: string; metadata: { name: string; namespace?: string } } {
  const parts = key.split('/');
  const name = parts.pop()!;
  const namespace = parts.pop()!;
  const kind = parts.pop()!;
  return { apiVersion: parts.join('/'), kind, metadata: { name, ...(namespace ? { namespace } : {}) } };
}
