// The owned-fields hash of a live object serialises in one pass (projectedJson) what it used to
// build first (the projection onto Berth's FieldsV1 set) and serialise then. Hashes of applied
// objects are stored with each environment and compared with what informers compute, so the two
// forms must agree on every object, or environments would look drifted (or in sync) wrongly.
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { canonicalJson } from '../../../src/common/json/canonical-json.js';
import { normalisedJson, projectedJson } from '../../../src/modules/workloads/owned-hash.js';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type FieldsV1 = { [segment: string]: FieldsV1 };

/** The two-step form: the projection as an object (kept here as the reference). */
function project(value: Json, fields: FieldsV1): Json {
  if (Array.isArray(value)) {
    const keyed = Object.keys(fields).filter((s) => s.startsWith('k:')).map((s) => ({ key: JSON.parse(s.slice(2)) as Record<string, Json>, fields: fields[s]! }));
    const sets = new Set(Object.keys(fields).filter((s) => s.startsWith('v:')).map((s) => canonicalJson(JSON.parse(s.slice(2)))));
    const out: Json[] = [];
    for (const item of value) {
      if (sets.has(canonicalJson(item))) {
        out.push(item);
        continue;
      }
      const match = keyed.find((k) => matchesKey(item, k.key));
      if (match) out.push(project(item, match.fields));
    }
    return out;
  }
  if (value && typeof value === 'object') {
    const out: { [k: string]: Json } = {};
    for (const [segment, sub] of Object.entries(fields)) {
      if (!segment.startsWith('f:')) continue;
      const name = segment.slice(2);
      if (!(name in value)) continue;
      const child = value[name]!;
      out[name] = Object.keys(sub).some((s) => s !== '.') ? project(child, sub) : child;
    }
    return out;
  }
  return value;
}

const scalar = (value: Json | undefined): string => (value === null || value === undefined ? 'null' : typeof value === 'string' ? value : JSON.stringify(value));
function matchesKey(item: Json, key: Record<string, Json>): boolean {
  if (!item || typeof item !== 'object' || Array.isArray(item)) return false;
  return Object.entries(key).every(([k, v]) => scalar(item[k] ?? (k === 'protocol' ? 'TCP' : null)) === scalar(v));
}

// Field names, list keys and set values from small alphabets, so generated sets name parts of
// generated values often (keyed items by name, ports with and without a protocol, set members).
const names = fc.constantFrom('a', 'b', 'name', 'port', 'protocol', 'Z', '10');
const scalars = fc.oneof(fc.constantFrom('x', 'y', 'TCP', 'UDP', '1'), fc.integer({ min: 0, max: 2 }), fc.boolean(), fc.constant(null));
const values = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, scalars, fc.array(tie('value'), { maxLength: 4 }), fc.dictionary(names, tie('value'), { maxKeys: 5 })),
})).value as fc.Arbitrary<Json>;
const segments = fc.oneof(
  names.map((n) => `f:${n}`),
  fc.constantFrom('.', 'k:{"name":"x"}', 'k:{"name":"y"}', 'k:{"port":1,"protocol":"TCP"}', 'k:{"port":2}', 'v:"x"', 'v:1', 'v:null', 'v:{"a":"x"}'),
);
const fieldSets = fc.letrec((tie) => ({
  fields: fc.dictionary(segments, fc.oneof({ depthSize: 'small' }, fc.constant({}), tie('fields')), { maxKeys: 5 }),
})).fields as fc.Arbitrary<FieldsV1>;

describe('projectedJson', () => {
  it('equals normalisedJson(project(value, fields)) for any value and field set', () => {
    fc.assert(fc.property(values, fieldSets, (value, fields) => projectedJson(value, fields) === normalisedJson(project(value, fields))), { numRuns: 5000 });
  });

  it('keeps owned leaves whole, keyed items by their owned members, set members whole, and sorts keys', () => {
    const value: Json = {
      spec: { z: 1, a: [{ name: 'web', image: 'i:1', extra: true }, { name: 'other' }], tags: ['x', 'y'] },
      status: { ready: 1 },
    };
    const fields: FieldsV1 = {
      'f:spec': { 'f:z': {}, 'f:a': { 'k:{"name":"web"}': { '.': {}, 'f:image': {} } }, 'f:tags': { 'v:"y"': {} } },
    };
    expect(projectedJson(value, fields)).toBe('{"spec":{"a":[{"image":"i:1"}],"tags":["y"],"z":"1"}}');
  });
});
