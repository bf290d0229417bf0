import { ApiError } from '../errors.js';
import { deepClone, deepEqual, isMap, type JsonMap } from '../types.js';
import { keyFieldDefault, listKeys } from './schema.js';

const ORDER = '$setElementOrder/';
const DELETE_PRIMITIVE = '$deleteFromPrimitiveList/';

function stripDirectives(v: unknown): unknown {
  if (Array.isArray(v)) return v.filter((i) => !(isMap(i) && i['$patch'] === 'delete')).map(stripDirectives);
  if (!isMap(v)) return v;
  const out: JsonMap = {};
  for (const [k, val] of Object.entries(v)) {
    if (k.startsWith('$')) continue;
    if (val === null) continue;
    out[k] = stripDirectives(val);
  }
  return out;
}

function keyMatches(a: unknown, b: unknown, keys: string[]): boolean {
  if (!isMap(a) || !isMap(b)) return false;
  // Strategic merge uses the first key (patchMergeKey); extra keys only disambiguate when both set.
  const [first, ...rest] = keys;
  if (!deepEqual(a[first!], b[first!])) return false;
  return rest.every((k) => deepEqual(a[k] ?? keyFieldDefault(k), b[k] ?? keyFieldDefault(k)));
}

function applyOrder(list: unknown[], order: unknown[], keys: string[] | 'set'): unknown[] {
  const pos = (item: unknown): number =>
    order.findIndex((o) => (keys === 'set' ? deepEqual(o, item) : keyMatches(o, item, keys)));
  const indexed = list.map((item, i) => ({ item, i, p: pos(item) }));
  indexed.sort((a, b) => {
    if (a.p >= 0 && b.p >= 0) return a.p - b.p;
    if (a.p >= 0) return -1;
    if (b.p >= 0) return 1;
    return a.i - b.i;
  });
  return indexed.map((x) => x.item);
}

function mergeList(original: unknown, patch: unknown[], path: string[]): unknown[] {
  const keys = listKeys(path);
  if (patch.some((i) => isMap(i) && i['$patch'] === 'replace')) {
    return stripDirectives(patch.filter((i) => !(isMap(i) && i['$patch'] === 'replace'))) as unknown[];
  }
  if (!keys) return stripDirectives(patch) as unknown[];
  const result = Array.isArray(original) ? [...original] : [];
  if (keys === 'set') {
    for (const v of patch) if (!result.some((r) => deepEqual(r, v))) result.push(v);
    return result;
  }
  for (const item of patch) {
    if (!isMap(item)) throw new ApiError(400, 'BadRequest', `invalid list item in ${path.join('.')}: expected an object`);
    const idx = result.findIndex((r) => keyMatches(r, item, keys));
    if (item['$patch'] === 'delete') {
      if (idx >= 0) result.splice(idx, 1);
      continue;
    }
    if (idx >= 0) result[idx] = mergeMap(result[idx], item, path);
    else result.push(stripDirectives(item));
  }
  return result;
}

function mergeMap(original: unknown, patch: JsonMap, path: string[]): unknown {
  if (patch['$patch'] === 'replace') return stripDirectives(patch);
  if (patch['$patch'] === 'delete') return undefined;
  const result: JsonMap = isMap(original) ? { ...original } : {};
  const orders: [string, unknown[]][] = [];
  for (const [key, value] of Object.entries(patch)) {
    if (key === '$patch' || key === '$retainKeys') continue;
    if (key.startsWith(ORDER)) {
      if (Array.isArray(value)) orders.push([key.slice(ORDER.length), value]);
      continue;
    }
    if (key.startsWith(DELETE_PRIMITIVE)) {
      const field = key.slice(DELETE_PRIMITIVE.length);
      const current = result[field];
      if (Array.isArray(current) && Array.isArray(value)) {
        result[field] = current.filter((c) => !value.some((v) => deepEqual(v, c)));
      }
      continue;
    }
    const childPath = [...path, key];
    if (value === null) delete result[key];
    else if (isMap(value)) {
      const merged = mergeMap(result[key], value, childPath);
      if (merged === undefined) delete result[key];
      else result[key] = merged;
    } else if (Array.isArray(value)) result[key] = mergeList(result[key], value, childPath);
    else result[key] = value;
  }
  const retain = patch['$retainKeys'];
  if (Array.isArray(retain)) {
    for (const k of Object.keys(result)) if (!retain.includes(k)) delete result[k];
  }
  for (const [field, order] of orders) {
    const current = result[field];
    const keys = listKeys([...path, field]);
    if (Array.isArray(current) && keys) result[field] = applyOrder(current, order, keys);
  }
  return result;
}

/**
 * Apply a strategic merge patch (kubectl's client-side apply, `kubectl patch`): lists with a
 * patch merge key merge item by item, `$patch: delete|replace`, `$retainKeys`,
 * `$setElementOrder/…` and `$deleteFromPrimitiveList/…` directives are honoured.
 */
export function applyStrategicMergePatch(original: unknown, patch: unknown): JsonMap {
  if (!isMap(patch)) throw new ApiError(400, 'BadRequest', 'strategic merge patch must be a JSON object');
  const out = mergeMap(deepClone(original), patch, []);
  return isMap(out) ? out : {};
}

/** Merge an object onto another by the same rules (used by server-side apply). */
export function mergeStructured(original: unknown, overlay: JsonMap): JsonMap {
  const out = mergeMap(original, overlay, []);
  return isMap(out) ? out : {};
}
