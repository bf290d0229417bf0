// canonicalJsonAround is what lets the database complete an audit event's hash (#15): the text around
// the holes, completed with the holes' canonical values, must be canonicalJson exactly. canonicalJson
// itself is written in one pass now; the audit chain's stored hashes were computed with the form it
// replaced, so the two must agree on every value, byte for byte.
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { canonicalJson, canonicalJsonAround } from '../../src/common/json/canonical-json.js';

/** The form canonicalJson had before (entries, filter, sort, map, join), kept as the reference. */
function reference(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'bigint') return JSON.stringify(value.toString());
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(reference).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${reference(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

const anyKey = fc.oneof(fc.string({ maxLength: 6 }), fc.string({ unit: 'binary', maxLength: 4 }), fc.constantFrom('apiVersion', 'kind', 'metadata', 'a', 'b', '__proto__x', '10', '2', ''));
const value = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constant(null),
    fc.constant(undefined),
    fc.boolean(),
    fc.integer(),
    fc.double(),
    fc.bigInt(),
    fc.date({ noInvalidDate: true }),
    fc.string({ unit: 'binary', maxLength: 8 }),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.sparseArray(tie('value'), { maxLength: 4 }),
    fc.dictionary(anyKey, tie('value'), { maxKeys: 6 }),
  ),
})).value;

describe('canonicalJson', () => {
  it('writes exactly what the form it replaced wrote, for any value', () => {
    fc.assert(fc.property(value, (v) => canonicalJson(v) === reference(v)), { numRuns: 5000 });
  });

  it('sorts keys by code unit, drops undefined fields, keeps holes empty', () => {
    expect(canonicalJson({ b: 1, a: [1, , undefined], B: 'x', é: true, c: undefined, d: 2n, e: new Date(0) })).toBe(
      '{"B":"x","a":[1,,null],"b":1,"d":"2","e":"1970-01-01T00:00:00.000Z","é":true}',
    );
  });
});

function complete(parts: string[], values: unknown[]): string {
  return parts.reduce((text, part, i) => text + part + (i < values.length ? canonicalJson(values[i]) : ''), '');
}

describe('canonicalJsonAround', () => {
  const samples: Array<Record<string, unknown>> = [
    { seq: 7n, occurredAt: new Date('2026-12-01T20:45:04.123Z'), action: 'app.create', change: null },
    { zeta: 'last', seq: 1n, alpha: { b: [1, 'x"y', null], a: true }, occurredAt: new Date(0), skipped: undefined, middle: 'é ☕ \n \u2028' },
    { occurredAt: new Date('2000-01-01T00:00:00.000Z'), seq: 123456789012345678n },
  ];

  it.each(samples.map((s, i) => [i, s] as const))('sample %i: parts plus the holes’ values is canonicalJson', (_i, sample) => {
    const parts = canonicalJsonAround(sample, ['occurredAt', 'seq']);
    expect(parts).toHaveLength(3);
    expect(complete(parts, [sample.occurredAt, sample.seq])).toBe(canonicalJson(sample));
  });

  it('refuses holes that are missing, undefined or out of key order', () => {
    expect(() => canonicalJsonAround({ seq: 1n }, ['occurredAt', 'seq'])).toThrow('must all be present');
    expect(() => canonicalJsonAround({ seq: 1n, occurredAt: undefined }, ['occurredAt', 'seq'])).toThrow('must all be present');
    expect(() => canonicalJsonAround({ seq: 1n, occurredAt: new Date(0) }, ['seq', 'occurredAt'])).toThrow('must all be present');
  });
});
