import type { SandboxCluster } from '../src/index.js';
import { fastCluster, http, type HttpResult } from './helpers.js';
import { BASES, type Obj } from './validation/bases.js';
import { build, CASES, type Case } from './validation/cases.js';

/**
 * Where a real kube-apiserver 1.32 rejects an object, the sandbox rejects it with the same
 * status and field path: on create, server-side dry-run, update (PUT) and patch, and nothing is
 * stored. Each row is an invalid variant of a valid object of its kind.
 */
let cluster: SandboxCluster;
beforeAll(async () => {
  cluster = await fastCluster();
});
afterAll(async () => {
  await cluster.stop();
});

function fields(r: HttpResult): string[] {
  const causes = (r.body['details'] as { causes?: { field?: string }[] } | undefined)?.causes ?? [];
  return causes.map((c) => c.field ?? '');
}

function expectRejected(c: Case, r: HttpResult): void {
  const seen = { status: r.status, reason: r.body['reason'], fields: fields(r), message: r.body['message'] };
  expect(seen).toMatchObject({ status: c.status, reason: c.status === 422 ? 'Invalid' : 'BadRequest' });
  if (c.field !== undefined) expect(seen.fields).toContain(c.field);
  if (c.message !== undefined) expect(String(seen.message)).toContain(c.message);
}

/** RFC 6902 operations turning `from` into `to` (top-level fields, labels and annotations). */
function jsonPatch(from: Obj, to: Obj): unknown[] {
  const ops: unknown[] = [];
  const diff = (a: Record<string, unknown>, b: Record<string, unknown>, prefix: string, keys: string[]): void => {
    for (const k of keys) {
      if (b[k] !== undefined) ops.push({ op: 'add', path: `${prefix}/${k}`, value: b[k] });
      else if (a[k] !== undefined) ops.push({ op: 'remove', path: `${prefix}/${k}` });
    }
  };
  const top = [...new Set([...Object.keys(from), ...Object.keys(to)])].filter((k) => !['apiVersion', 'kind', 'metadata'].includes(k));
  diff(from, to, '', top);
  diff((from['metadata'] ?? {}) as Record<string, unknown>, (to['metadata'] ?? {}) as Record<string, unknown>, '/metadata', ['labels', 'annotations']);
  return ops;
}

function withoutMetaStatus(o: Obj): Obj {
  const { metadata: _m, status: _s, ...rest } = o;
  return rest;
}

it('has at least 80 invalid objects, among them the 21 of issue #13', () => {
  expect(CASES.length).toBeGreaterThanOrEqual(80);
});

describe.each(CASES.map((c, i) => [`${c.kind}: ${c.what}`, c, i] as const))('%s', (_title, c, i) => {
  const name = `c${i}`;
  const base = (): Obj => {
    const o = BASES[c.kind]!.obj();
    (o['metadata'] as Obj)['name'] = name;
    return o;
  };
  const invalid = (): Obj => {
    const o = build(c);
    if (!('metadata.name' in c.edits)) (o['metadata'] as Obj)['name'] = name;
    return o;
  };
  const q = (extra?: string): string => {
    const parts = [c.query, extra].filter(Boolean);
    return parts.length ? `?${parts.join('&')}` : '';
  };
  const path = BASES[c.kind]!.path;

  it('is rejected on create and dry-run, and nothing is stored', async () => {
    expectRejected(c, await http(cluster, 'POST', `${path}${q('dryRun=All')}`, invalid()));
    expectRejected(c, await http(cluster, 'POST', `${path}${q()}`, invalid()));
    const objName = String((invalid()['metadata'] as Obj)['name']);
    expect((await http(cluster, 'GET', `${path}/${objName}`)).status).toBe(404);
  });

  if (!c.createOnly) {
    it('is rejected on update and patch, leaving the object as it was', async () => {
      const created = await http(cluster, 'POST', path, base());
      expect(created.status).toBe(201);
      try {
        // Unconditional updates: controllers may write status in between.
        expectRejected(c, await http(cluster, 'PUT', `${path}/${name}${q()}`, invalid()));
        expectRejected(c, await http(cluster, 'PUT', `${path}/${name}${q('dryRun=All')}`, invalid()));
        expectRejected(c, await http(cluster, 'PATCH', `${path}/${name}${q()}`, jsonPatch(base(), invalid()), 'application/json-patch+json'));
        const after = await http(cluster, 'GET', `${path}/${name}`);
        expect(withoutMetaStatus(after.body)).toEqual(withoutMetaStatus(created.body));
        expect((after.body['metadata'] as Obj)['generation']).toBe((created.body['metadata'] as Obj)['generation']);
      } finally {
        await http(cluster, 'DELETE', `${path}/${name}`);
      }
    });
  }
});
