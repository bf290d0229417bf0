import { ApiError } from '../src/errors.js';
import { applyJsonPatch } from '../src/patch/json-patch.js';
import { applyMergePatch } from '../src/patch/merge-patch.js';
import { applyStrategicMergePatch } from '../src/patch/strategic-merge.js';
import { fieldsOf, fromFieldsV1, pathToString, toFieldsV1 } from '../src/patch/fieldset.js';
import { pathId } from '../src/patch/paths.js';
import { serverSideApply } from '../src/patch/managed-fields.js';
import { formatQuantity, parseQuantity } from '../src/quantity.js';
import { labelSelectorMatcher, parseFieldSelector, parseLabelSelector } from '../src/selectors.js';
import { mustResource } from '../src/resources.js';
import { validateObject } from '../src/validation.js';
import { deepClone, deepEqual, shallowCopy } from '../src/types.js';
import { qualifiedNameErrors } from '../src/validation/util.js';
import { duplicateFields } from '../src/validation/duplicates.js';
import fc from 'fast-check';
import { tracks } from '../src/admission/resource-quota.js';
import { canonical, podTemplateHash, resolveFenceposts } from '../src/controllers/rollout.js';
import { imageBehaviour } from '../src/controllers/images.js';
import type { KubeObject } from '../src/types.js';
import { at } from './helpers.js';

describe('duplicate fields of a JSON text', () => {
  it('are named by their path, through objects and list items, each time one repeats', () => {
    const text = '{"a":1,"spec":{"containers":[{"name":"x"},{"name":"y","env":[{"v":1,"v":2}],"name":"z"}],"k":{"q\\"r":1,"q\\"r":2}},"a":2}';
    expect(duplicateFields(text)).toEqual(['spec.containers[1].env[0].v', 'spec.containers[1].name', 'spec.k.q"r', 'a']);
    expect(duplicateFields('[{"a":1},{"b":[{"c":1,"c":1}]}]')).toEqual(['[1].b[0].c']);
    expect(duplicateFields('{"a":{"b":1},"c":{"b":2}}')).toEqual([]);
  });
});

describe('label selectors', () => {
  const labels = { app: 'web', tier: 'front', env: 'prod' };
  it.each([
    ['app=web', true],
    ['app==web', true],
    ['app!=web', false],
    ['app!=api', true],
    ['missing!=x', true],
    ['tier in (front,back)', true],
    ['tier notin (front)', false],
    ['env', true],
    ['!env', false],
    ['!missing', true],
    ['app=web,tier in (back)', false],
    ['app=web, env in (prod, staging)', true],
    ['', true],
  ])('%s → %s', (sel, expected) => {
    expect(parseLabelSelector(sel)(labels)).toBe(expected);
  });

  it('rejects garbage with a 400', () => {
    expect(() => parseLabelSelector('app=(x')).toThrow(ApiError);
  });

  it('matches LabelSelector objects with matchExpressions', () => {
    const m = labelSelectorMatcher({ matchLabels: { app: 'web' }, matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['dev'] }] });
    expect(m(labels)).toBe(true);
    expect(m({ app: 'web', env: 'dev' })).toBe(false);
  });
});

describe('field selectors', () => {
  it('supports metadata.name, metadata.namespace and status.phase for pods', () => {
    const pod = { metadata: { name: 'a', namespace: 'n' }, status: { phase: 'Running' } };
    expect(parseFieldSelector('metadata.name=a,status.phase=Running', 'pods')(pod)).toBe(true);
    expect(parseFieldSelector('status.phase!=Running', 'pods')(pod)).toBe(false);
    expect(parseFieldSelector('metadata.namespace==n', 'pods')(pod)).toBe(true);
  });

  it('rejects unsupported fields like a real server', () => {
    expect(() => parseFieldSelector('status.phase=Running', 'configmaps')).toThrow('field label not supported: status.phase');
  });
});

describe('JSON patch (RFC 6902)', () => {
  it('adds, replaces, removes, moves, copies and tests', () => {
    const doc = { a: 1, list: ['x', 'y'], m: { k: 'v' } };
    const out = applyJsonPatch(doc, [
      { op: 'add', path: '/list/-', value: 'z' },
      { op: 'replace', path: '/a', value: 2 },
      { op: 'remove', path: '/list/0' },
      { op: 'copy', from: '/m/k', path: '/c' },
      { op: 'move', from: '/m', path: '/n' },
      { op: 'test', path: '/a', value: 2 },
    ]);
    expect(out).toEqual({ a: 2, list: ['y', 'z'], c: 'v', n: { k: 'v' } });
    expect(doc.a).toBe(1);
  });

  it('fails a failing test op with 422', () => {
    expect(() => applyJsonPatch({ a: 1 }, [{ op: 'test', path: '/a', value: 2 }])).toThrow(/test failed/);
  });
});

describe('merge patch (RFC 7386)', () => {
  it('merges maps, deletes with null and replaces lists', () => {
    expect(applyMergePatch({ a: { b: 1, c: 2 }, l: [1, 2] }, { a: { b: null, d: 3 }, l: [3] })).toEqual({ a: { c: 2, d: 3 }, l: [3] });
  });
});

describe('strategic merge patch', () => {
  const base = {
    spec: {
      template: {
        spec: {
          containers: [
            { name: 'app', image: 'a:1', env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }], ports: [{ containerPort: 80 }] },
            { name: 'side', image: 's:1' },
          ],
        },
      },
    },
    metadata: { finalizers: ['x'] },
  };

  it('merges containers by name and env by name', () => {
    const out = applyStrategicMergePatch(base, {
      spec: { template: { spec: { containers: [{ name: 'app', image: 'a:2', env: [{ name: 'B', value: '3' }] }] } } },
    });
    expect(at(out, 'spec.template.spec.containers.0.image')).toBe('a:2');
    expect(at(out, 'spec.template.spec.containers.0.env')).toEqual([{ name: 'A', value: '1' }, { name: 'B', value: '3' }]);
    expect(at(out, 'spec.template.spec.containers.1.name')).toBe('side');
  });

  it('honours $patch: delete, $setElementOrder and $deleteFromPrimitiveList', () => {
    const out = applyStrategicMergePatch(base, {
      metadata: { '$deleteFromPrimitiveList/finalizers': ['x'] },
      spec: {
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'side' }, { name: 'app' }],
            containers: [{ name: 'app', env: [{ name: 'A', $patch: 'delete' }] }],
          },
        },
      },
    });
    expect(at(out, 'spec.template.spec.containers.0.name')).toBe('side');
    expect(at(out, 'spec.template.spec.containers.1.env')).toEqual([{ name: 'B', value: '2' }]);
    expect(at(out, 'metadata.finalizers')).toEqual([]);
  });

  it('merges container ports by containerPort and replaces lists without a merge key', () => {
    const out = applyStrategicMergePatch(
      { spec: { containers: [{ name: 'a', ports: [{ containerPort: 80 }], args: ['x'] }] } },
      { spec: { containers: [{ name: 'a', ports: [{ containerPort: 81 }], args: ['y'] }] } },
    );
    expect(at(out, 'spec.containers.0.ports')).toEqual([{ containerPort: 80 }, { containerPort: 81 }]);
    expect(at(out, 'spec.containers.0.args')).toEqual(['y']);
  });

  it('supports $retainKeys and $patch: replace on maps', () => {
    const out = applyStrategicMergePatch(
      { spec: { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } }, sel: { a: '1', b: '2' } } },
      { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate' }, sel: { $patch: 'replace', c: '3' } } },
    );
    expect(at(out, 'spec.strategy')).toEqual({ type: 'Recreate' });
    expect(at(out, 'spec.sel')).toEqual({ c: '3' });
  });
});

describe('managed fields (FieldsV1)', () => {
  const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', labels: { a: '1' } }, data: { k: 'v' } };

  it('records f: keys, "." for maps and k: for keyed list items, and round-trips', () => {
    const dep = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { template: { spec: { containers: [{ name: 'app', image: 'i' }] } } } };
    const v1 = toFieldsV1(fieldsOf(dep));
    expect(at(v1, 'f:spec.f:template.f:spec.f:containers')).toEqual({ 'k:{"name":"app"}': { '.': {}, 'f:image': {}, 'f:name': {} } });
    expect(toFieldsV1(fromFieldsV1(toFieldsV1(fieldsOf(cm))))).toEqual(toFieldsV1(fieldsOf(cm)));
    expect(at(toFieldsV1(fieldsOf(cm)), 'f:metadata.f:labels')).toEqual({ '.': {}, 'f:a': {} });
    expect(pathToString(pathId('f:spec\nf:containers\nk:{"name":"app"}\nf:image'))).toBe('.spec.containers[name="app"].image');
  });

  it('server-side apply detects conflicts, forces, and drops fields no longer applied', () => {
    const first = serverSideApply(undefined, structuredClone(cm), 'one', false) as KubeObject;
    first.metadata.resourceVersion = '1';
    const conflicting = { ...structuredClone(cm), data: { k: 'other' } };
    expect(() => serverSideApply(first, conflicting, 'two', false)).toThrow('Apply failed with 1 conflict: conflict with "one" using v1: .data.k');
    const forced = serverSideApply(first, structuredClone(conflicting), 'two', true);
    expect(at(forced, 'data.k')).toBe('other');
    const shrunk = serverSideApply(first, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: { k: 'v' } }, 'one', false);
    expect(at(shrunk, 'metadata.labels.a')).toBeUndefined();
    expect(at(shrunk, 'data.k')).toBe('v');
  });

  it('server-side apply removes a whole keyed list item the manager stops applying', () => {
    const svc = (ports: unknown[]): Record<string, unknown> => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { ports } });
    const first = serverSideApply(undefined, svc([{ name: 'http', port: 80 }, { name: 'metrics', port: 9090 }]), 'me', false);
    const second = serverSideApply(first, svc([{ name: 'http', port: 80 }]), 'me', false);
    expect(at(second, 'spec.ports')).toEqual([{ name: 'http', port: 80 }]);
  });
});

describe('validation', () => {
  it('names the invalid field in the causes', () => {
    const res = mustResource('v1', 'configmaps');
    try {
      validateObject(res, { metadata: { name: 'Bad_Name' } });
      throw new Error('expected failure');
    } catch (e) {
      expect(e).toBeInstanceOf(ApiError);
      const err = e as ApiError;
      expect(err.code).toBe(422);
      expect(err.details?.causes?.[0]?.field).toBe('metadata.name');
      expect(err.message).toContain('a lowercase RFC 1123 subdomain');
    }
  });

  it('requires a selector and containers for deployments', () => {
    const res = mustResource('apps/v1', 'deployments');
    try {
      validateObject(res, { metadata: { name: 'd' }, spec: { template: { metadata: { labels: { a: 'b' } }, spec: { containers: [] } } } });
      throw new Error('expected failure');
    } catch (e) {
      const fields = (e as ApiError).details?.causes?.map((c) => c.field);
      expect(fields).toEqual(expect.arrayContaining(['spec.selector', 'spec.template.spec.containers']));
    }
  });

  it('uses DNS-1035 labels for service names and DNS-1123 labels for namespaces', () => {
    expect(() => validateObject(mustResource('v1', 'services'), { metadata: { name: '1abc' }, spec: { ports: [{ port: 80 }] } })).toThrow('DNS-1035');
    expect(() => validateObject(mustResource('v1', 'namespaces'), { metadata: { name: 'a.b' } })).toThrow('RFC 1123 label');
  });
});

describe('quantities, hashes, fenceposts, image names', () => {
  it('parses and formats quantities', () => {
    expect(parseQuantity('250m')).toBeCloseTo(0.25);
    expect(parseQuantity('1.5')).toBe(1.5);
    expect(parseQuantity('128Mi')).toBe(128 * 2 ** 20);
    expect(parseQuantity('1G')).toBe(1e9);
    expect(formatQuantity('requests.cpu', 0.75)).toBe('750m');
    expect(formatQuantity('limits.memory', 2 ** 30)).toBe('1Gi');
    expect(formatQuantity('pods', 3)).toBe('3');
  });

  it('hashes templates stably regardless of key order', () => {
    expect(podTemplateHash({ a: 1, b: { c: 2 } })).toBe(podTemplateHash({ b: { c: 2 }, a: 1 }));
    expect(podTemplateHash({ a: 1 })).not.toBe(podTemplateHash({ a: 2 }));
    expect(podTemplateHash({ a: 1 })).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]+$/);
  });

  it('resolves maxSurge/maxUnavailable percentages like the real controller', () => {
    const d = { metadata: {}, spec: { replicas: 10, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } } } };
    expect(resolveFenceposts(d)).toEqual({ surge: 3, unavailable: 2 });
  });

  it('knows the magic image names', () => {
    expect(imageBehaviour('registry/fail-pull:1')).toBe('pull-error');
    expect(imageBehaviour('nginx:pull-error')).toBe('pull-error');
    expect(imageBehaviour('crash-loop:1')).toBe('crash');
    expect(imageBehaviour('nginx:1.27')).toBe('ok');
  });
});

describe('deepClone', () => {
  it('copies every level: a stored object is never shared with the copy a write edits', () => {
    const stored = { metadata: { labels: { a: 'b' }, managedFields: [{ fieldsV1: { 'f:spec': {} } }] }, spec: { replicas: 2, list: [1, [2, 3]] }, status: null };
    const copy = deepClone(stored);
    expect(copy).toEqual(stored);
    copy.metadata.labels.a = 'changed';
    copy.metadata.managedFields[0]!.fieldsV1['f:spec'] = { 'f:replicas': {} };
    (copy.spec.list[1] as number[]).push(4);
    expect(stored).toEqual({ metadata: { labels: { a: 'b' }, managedFields: [{ fieldsV1: { 'f:spec': {} } }] }, spec: { replicas: 2, list: [1, [2, 3]] }, status: null });
  });
});

describe('quota keys', () => {
  it('name the resources they count: the quota controller wakes only for those', () => {
    const pods = mustResource('v1', 'pods');
    const deployments = mustResource('apps/v1', 'deployments');
    const events = mustResource('v1', 'events');
    expect(['pods', 'count/pods', 'requests.cpu', 'limits.memory', 'cpu'].map((k) => tracks(pods, k))).toEqual([true, true, true, true, true]);
    expect(['services', 'count/replicasets.apps'].map((k) => tracks(pods, k))).toEqual([false, false]);
    expect(['count/deployments.apps', 'pods', 'requests.cpu'].map((k) => tracks(deployments, k))).toEqual([true, false, false]);
    expect(['pods', 'requests.cpu', 'count/pods'].map((k) => tracks(events, k))).toEqual([false, false, false]);
  });
});

// canonical (the pod-template-hash's text), deepEqual and qualifiedNameErrors were rewritten to
// allocate less (docs/performance.md, "Eighth round"); each must answer exactly as before.
describe('allocation-lean helpers answer as the forms they replaced', () => {
  function canonicalReference(v: unknown): string {
    if (Array.isArray(v)) return `[${v.map(canonicalReference).join(',')}]`;
    if (v !== null && typeof v === 'object') {
      const m = v as Record<string, unknown>;
      return `{${Object.keys(m).filter((k) => m[k] !== undefined).sort().map((k) => `${JSON.stringify(k)}:${canonicalReference(m[k])}`).join(',')}}`;
    }
    return JSON.stringify(v);
  }
  function deepEqualReference(a: unknown, b: unknown): boolean {
    if (a === b) return true;
    if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
    if (Array.isArray(a)) {
      if (!Array.isArray(b) || a.length !== b.length) return false;
      for (let i = 0; i < a.length; i++) if (!deepEqualReference(a[i], b[i])) return false;
      return true;
    }
    if (Array.isArray(b)) return false;
    const ao = a as Record<string, unknown>;
    const bo = b as Record<string, unknown>;
    const ak = Object.keys(ao).filter((k) => ao[k] !== undefined);
    const bk = Object.keys(bo).filter((k) => bo[k] !== undefined);
    return ak.length === bk.length && ak.every((k) => deepEqualReference(ao[k], bo[k]));
  }
  const key = fc.oneof(fc.string({ maxLength: 4 }), fc.constantFrom('a', 'b', 'B', 'é', 'name', 'labels'));
  const json = fc.letrec((tie) => ({
    value: fc.oneof(
      { depthSize: 'small' },
      fc.constant(null),
      fc.constant(undefined),
      fc.boolean(),
      fc.integer({ min: -3, max: 3 }),
      fc.string({ unit: 'binary', maxLength: 3 }),
      fc.array(tie('value'), { maxLength: 3 }),
      fc.sparseArray(tie('value'), { maxLength: 3 }),
      fc.dictionary(key, tie('value'), { maxKeys: 4 }),
    ),
  })).value;

  it('canonical', () => {
    fc.assert(fc.property(json, (v) => canonical(v) === canonicalReference(v)), { numRuns: 3000 });
  });

  it('deepEqual, on values drawn independently and on a value and a reordered copy', () => {
    fc.assert(fc.property(json, json, (a, b) => deepEqual(a, b) === deepEqualReference(a, b)), { numRuns: 3000 });
    fc.assert(fc.property(json, (a) => deepEqual(a, reordered(a)) && deepEqualReference(a, reordered(a))), { numRuns: 1000 });
    expect(deepEqual({ a: 1, b: undefined }, { a: 1 })).toBe(true);
    expect(deepEqual({ a: 1 }, { a: 1, b: 2 })).toBe(false);
    expect(deepEqual({ a: 1, c: undefined }, { a: 1, b: undefined, d: 3 })).toBe(false);
  });

  it('qualifiedNameErrors answers the same the second time (valid names are remembered)', () => {
    for (const name of ['app.kubernetes.io/name', 'berth.dev/team', 'a/b/c', '/x', 'bad name', 'x'.repeat(64), 'ok']) {
      const first = qualifiedNameErrors(name);
      expect(qualifiedNameErrors(name)).toEqual(first);
    }
    expect(qualifiedNameErrors('app.kubernetes.io/name')).toEqual([]);
    expect(qualifiedNameErrors('bad name')).not.toEqual([]);
  });
});

function reordered(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(reordered);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).reverse().map(([k, x]) => [k, reordered(x)]));
  return v;
}

describe('shallowCopy', () => {
  it('copies own members, shares nested values, and leaves the original alone', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (o) => {
        const copy = shallowCopy(o);
        expect(copy).not.toBe(o);
        expect(Object.keys(copy)).toEqual(Object.keys(o));
        for (const k of Object.keys(o)) expect(copy[k]).toBe(o[k]);
        const before = Object.keys(o);
        (copy as Record<string, unknown>)['added-member'] = 1;
        expect(Object.keys(o)).toEqual(before);
      }),
    );
  });

  it('keeps a __proto__ member a member (JSON.parse makes it one), never the prototype', () => {
    const parsed = JSON.parse('{"name":"a","__proto__":{"polluted":true}}') as Record<string, unknown>;
    const copy = shallowCopy(parsed);
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(Object.hasOwn(copy, '__proto__')).toBe(true);
    expect((copy as { polluted?: boolean }).polluted).toBeUndefined();
    expect(JSON.stringify(copy)).toBe(JSON.stringify(parsed));
  });
});
