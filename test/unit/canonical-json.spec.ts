// canonicalJsonAround is what lets the database complete an audit event's hash (#15): the text around
// the holes, completed with the holes' canonical values, must be canonicalJson exactly.
import { describe, expect, it } from '@jest/globals';
import { canonicalJson, canonicalJsonAround } from '../../src/common/json/canonical-json.js';

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
