// The owned-fields hash serialises in one pass (normalisedJson) what it used to build and then
// serialise (canonicalJson(normalise(value))). Hashes of applied objects are stored with each
// environment and compared with what informers compute, so the two must agree on every value, or
// every environment would look drifted after an upgrade.
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { canonicalJson } from '../../../src/common/json/canonical-json.js';
import { normalisedJson } from '../../../src/modules/workloads/owned-hash.js';

/** The two-pass form the hash used before (kept here as the reference). */
function normalise(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalise);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (v === undefined) continue;
      out[k] = normalise(v);
    }
    return out;
  }
  return value === null || value === undefined ? 'null' : typeof value === 'string' ? value : JSON.stringify(value);
}

const jsonish = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constant(null),
    fc.constant(undefined),
    fc.boolean(),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.string(),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.string({ maxLength: 6 }), tie('value'), { maxKeys: 5 }),
  ),
})).value;

describe('normalisedJson', () => {
  it('equals canonicalJson(normalise(value)) for any JSON-like value', () => {
    fc.assert(fc.property(jsonish, (value) => normalisedJson(value) === canonicalJson(normalise(value))), { numRuns: 2000 });
  });

  it('writes scalars as strings and sorts keys', () => {
    expect(normalisedJson({ b: 1, a: [true, null, 'x'], c: undefined })).toBe('{"a":["true","null","x"],"b":"1"}');
  });
});
