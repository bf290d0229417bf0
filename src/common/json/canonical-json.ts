// JSON with sorted keys, so the same content always serialises (and hashes) the same. Shared by the
// audit chain, idempotency fingerprints and the reconciler's change detection.

/** JSON with sorted keys; undefined fields dropped, bigints and dates as strings. */
export function canonicalJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'bigint') return JSON.stringify(value.toString());
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object') {
    return `{${sortedEntries(value as Record<string, unknown>).map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
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
