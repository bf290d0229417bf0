// JSON with sorted keys, so the same content always serialises (and hashes) the same. Shared by the
// audit chain, idempotency fingerprints and the reconciler's change detection.

/**
 * JSON with sorted keys; undefined fields dropped, bigints and dates as strings.
 *
 * Written into one string without intermediate arrays: the reconciler serialises every object it
 * renders (appliedEntry) and the allocations, not the characters, were most of the cost
 * (docs/performance.md, "Eighth round"). test/unit/canonical-json.spec.ts checks it against the
 * form it replaced on generated values.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'bigint') return JSON.stringify(value.toString());
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i += 1) {
      if (i > 0) out += ',';
      // A hole, or a value JSON has no text for (a function), stays empty, as join leaves it.
      const text = i in value ? (canonicalJson(value[i]) as string | undefined) : undefined;
      if (text !== undefined) out += text;
    }
    return `${out}]`;
  }
  if (typeof value === 'object') {
    const record = value as Record<string, unknown>;
    let out = '{';
    for (const k of sortedKeys(record)) {
      const v = record[k];
      if (v === undefined) continue;
      out += `${out.length > 1 ? ',' : ''}${jsonKey(k)}:${canonicalJson(v)}`;
    }
    return `${out}}`;
  }
  return JSON.stringify(value);
}

/** An object's own keys in code-unit order. */
export function sortedKeys(value: object): string[] {
  return inCodeUnitOrder(Object.keys(value));
}

/** Sorts `strings` (in place) by code unit, only when they are not in order already. */
export function inCodeUnitOrder(strings: string[]): string[] {
  for (let i = 1; i < strings.length; i += 1) {
    if (strings[i - 1]! > strings[i]!) return strings.sort();
  }
  return strings;
}

/**
 * A key as a JSON string. The same few hundred keys (apiVersion, metadata, labels' names…) recur in
 * every object, so their quoted forms are kept (bounded) instead of made again each time.
 */
const quotedKeys = new Map<string, string>();
export function jsonKey(key: string): string {
  let quoted = quotedKeys.get(key);
  if (quoted === undefined) {
    if (quotedKeys.size >= 8192) quotedKeys.clear();
    quoted = JSON.stringify(key);
    quotedKeys.set(key, quoted);
  }
  return quoted;
}

function sortedEntries(value: Record<string, unknown>): Array<[string, unknown]> {
  return Object.entries(value)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * canonicalJson(value) cut out around the values of the named top-level keys (in key order, each
 * present): `parts[0] + canonicalJson(value[holes[0]]) + parts[1] + … + parts[n]` is canonicalJson(value).
 * For text another party completes: the audit chain lets the database fill in the sequence number
 * and time it decides while holding the chain's head, without a round trip back to Node.
 */
export function canonicalJsonAround(value: Record<string, unknown>, holes: readonly string[]): string[] {
  const parts: string[] = [];
  let text = '{';
  let next = 0;
  sortedEntries(value).forEach(([k, v], i) => {
    text += `${i > 0 ? ',' : ''}${JSON.stringify(k)}:`;
    if (k === holes[next]) {
      parts.push(text);
      text = '';
      next += 1;
    } else {
      text += canonicalJson(v);
    }
  });
  if (next !== holes.length) throw new Error(`canonicalJsonAround: ${holes.join(', ')} must all be present, in key order`);
  parts.push(`${text}}`);
  return parts;
}
