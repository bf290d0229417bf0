import type { SandboxCluster } from '../src/index.js';
import { at, deployment, fastCluster, http, items, names, waitFor } from './helpers.js';

let c: SandboxCluster;
const CM = '/api/v1/namespaces/default/configmaps';
const DEPLOY = '/apis/apps/v1/namespaces/default/deployments';

beforeAll(async () => {
  c = await fastCluster({ name: 'semantics', historySize: 200 });
});
afterAll(async () => {
  await c.stop();
});

function cm(name: string, data: Record<string, string> = { k: 'v' }, labels?: Record<string, string>): Record<string, unknown> {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, ...(labels ? { labels } : {}) }, data };
}

describe('object metadata and versions', () => {
  it('assigns uid, creationTimestamp and an opaque resourceVersion that changes on every write', async () => {
    const created = await http(c, 'POST', CM, cm('meta-1'));
    expect(created.status).toBe(201);
    expect(at(created.body, 'metadata.uid')).toMatch(/^[0-9a-f-]{36}$/);
    expect(at(created.body, 'metadata.creationTimestamp')).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const rv1 = at(created.body, 'metadata.resourceVersion');
    expect(typeof rv1).toBe('string');
    const updated = await http(c, 'PUT', `${CM}/meta-1`, { ...cm('meta-1', { k: 'w' }), metadata: { name: 'meta-1', resourceVersion: rv1 } });
    expect(updated.status).toBe(200);
    expect(at(updated.body, 'metadata.resourceVersion')).not.toBe(rv1);
    expect(at(updated.body, 'metadata.uid')).toBe(at(created.body, 'metadata.uid'));
  });

  it('bumps generation on spec changes only, not on metadata or status changes', async () => {
    const created = await http(c, 'POST', DEPLOY, deployment('gen'));
    expect(at(created.body, 'metadata.generation')).toBe(1);
    const labelled = await http(c, 'PATCH', `${DEPLOY}/gen`, { metadata: { labels: { extra: 'x' } } }, 'application/merge-patch+json');
    expect(at(labelled.body, 'metadata.generation')).toBe(1);
    const status = await http(c, 'PATCH', `${DEPLOY}/gen/status`, { status: { replicas: 42 } }, 'application/merge-patch+json');
    expect(status.status).toBe(200);
    expect(at(status.body, 'metadata.generation')).toBe(1);
    const spec = await http(c, 'PATCH', `${DEPLOY}/gen`, { spec: { replicas: 3 } }, 'application/merge-patch+json');
    expect(at(spec.body, 'metadata.generation')).toBe(2);
  });

  it('ignores status changes on the main resource and spec changes on /status', async () => {
    await http(c, 'POST', DEPLOY, deployment('sub', 'nginx:1', 1));
    const main = await http(c, 'PATCH', `${DEPLOY}/sub`, { status: { replicas: 99 } }, 'application/merge-patch+json');
    expect(at(main.body, 'status.replicas')).not.toBe(99);
    const st = await http(c, 'PATCH', `${DEPLOY}/sub/status`, { spec: { replicas: 7 }, status: { observedGeneration: 77 } }, 'application/merge-patch+json');
    expect(at(st.body, 'spec.replicas')).toBe(1);
    expect(at(st.body, 'status.observedGeneration')).toBe(77);
  });

  it('does not change resourceVersion for a no-op update', async () => {
    const created = await http(c, 'POST', CM, cm('noop'));
    const same = await http(c, 'PATCH', `${CM}/noop`, { data: { k: 'v' } }, 'application/merge-patch+json');
    expect(at(same.body, 'metadata.resourceVersion')).toBe(at(created.body, 'metadata.resourceVersion'));
  });
});

describe('errors are Status objects', () => {
  it('409 AlreadyExists', async () => {
    await http(c, 'POST', CM, cm('dup'));
    const again = await http(c, 'POST', CM, cm('dup'));
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'AlreadyExists', code: 409, message: 'configmaps "dup" already exists', details: { name: 'dup', kind: 'configmaps' } });
  });

  it('409 Conflict on a stale resourceVersion', async () => {
    const created = await http(c, 'POST', CM, cm('stale'));
    const rv = at(created.body, 'metadata.resourceVersion');
    await http(c, 'PATCH', `${CM}/stale`, { data: { k: 'changed' } }, 'application/merge-patch+json');
    const put = await http(c, 'PUT', `${CM}/stale`, { ...cm('stale', { k: 'mine' }), metadata: { name: 'stale', resourceVersion: rv } });
    expect(put.status).toBe(409);
    expect(put.body).toMatchObject({ reason: 'Conflict', code: 409 });
    expect(String(put.body['message'])).toContain('the object has been modified');
  });

  it('422 Invalid naming the field, for names and missing required fields', async () => {
    const bad = await http(c, 'POST', CM, cm('Bad_Name'));
    expect(bad.status).toBe(422);
    expect(bad.body).toMatchObject({ kind: 'Status', reason: 'Invalid', code: 422, details: { kind: 'ConfigMap', name: 'Bad_Name' } });
    expect(at(bad.body, 'details.causes.0')).toMatchObject({ reason: 'FieldValueInvalid', field: 'metadata.name' });
    const dep = deployment('no-selector') as { spec: Record<string, unknown> };
    delete dep.spec['selector'];
    const missing = await http(c, 'POST', DEPLOY, dep);
    expect(missing.status).toBe(422);
    expect(at(missing.body, 'message')).toContain('spec.selector: Required value');
    expect((at(missing.body, 'details.causes') as { field: string }[]).map((x) => x.field)).toContain('spec.selector');
  });

  it('404 NotFound, and 404 for the namespace when it does not exist', async () => {
    const nf = await http(c, 'GET', `${CM}/nope`);
    expect(nf.status).toBe(404);
    expect(nf.body).toMatchObject({ kind: 'Status', reason: 'NotFound', message: 'configmaps "nope" not found', details: { name: 'nope', kind: 'configmaps' } });
    const ns = await http(c, 'POST', '/api/v1/namespaces/ghost/configmaps', cm('x'));
    expect(ns.status).toBe(404);
    expect(ns.body).toMatchObject({ reason: 'NotFound', message: 'namespaces "ghost" not found', details: { name: 'ghost', kind: 'namespaces' } });
    const dep = await http(c, 'GET', `${DEPLOY}/nope`);
    expect(dep.body['message']).toBe('deployments.apps "nope" not found');
  });

  it('415 for an unknown patch content type', async () => {
    await http(c, 'POST', CM, cm('ctype'));
    const r = await http(c, 'PATCH', `${CM}/ctype`, { data: {} }, 'text/plain');
    expect(r.status).toBe(415);
    expect(r.body['kind']).toBe('Status');
  });
});

describe('PATCH content types', () => {
  it('merge patch, JSON patch and strategic merge patch', async () => {
    await http(c, 'POST', DEPLOY, deployment('patchy', 'nginx:1', 1));
    const merge = await http(c, 'PATCH', `${DEPLOY}/patchy`, { metadata: { annotations: { a: '1' } } }, 'application/merge-patch+json');
    expect(at(merge.body, 'metadata.annotations.a')).toBe('1');
    const json = await http(c, 'PATCH', `${DEPLOY}/patchy`, [{ op: 'replace', path: '/spec/replicas', value: 2 }], 'application/json-patch+json');
    expect(at(json.body, 'spec.replicas')).toBe(2);
    const smp = await http(
      c,
      'PATCH',
      `${DEPLOY}/patchy`,
      { spec: { template: { spec: { containers: [{ name: 'sidecar', image: 'busybox:1' }] } } } },
      'application/strategic-merge-patch+json',
    );
    const containers = at(smp.body, 'spec.template.spec.containers') as { name: string }[];
    expect(containers.map((x) => x.name)).toEqual(['app', 'sidecar']);
    const del = await http(c, 'PATCH', `${DEPLOY}/patchy`, { spec: { template: { spec: { containers: [{ name: 'sidecar', $patch: 'delete' }] } } } }, 'application/strategic-merge-patch+json');
    expect((at(del.body, 'spec.template.spec.containers') as { name: string }[]).map((x) => x.name)).toEqual(['app']);
  });
});

describe('server-side apply', () => {
  const apply = (body: Record<string, unknown>, manager: string, force = false): ReturnType<typeof http> =>
    http(c, 'PATCH', `${CM}/${String(at(body, 'metadata.name'))}?fieldManager=${manager}${force ? '&force=true' : ''}`, body, 'application/apply-patch+yaml');

  it('creates, records managedFields, and a re-apply of the same object is a no-op', async () => {
    const first = await apply(cm('ssa-1', { a: '1', b: '2' }), 'alice');
    expect(first.status).toBe(201);
    const mf = at(first.body, 'metadata.managedFields') as Record<string, unknown>[];
    expect(mf).toHaveLength(1);
    expect(mf[0]).toMatchObject({ manager: 'alice', operation: 'Apply', fieldsType: 'FieldsV1', fieldsV1: { 'f:data': { '.': {}, 'f:a': {}, 'f:b': {} } } });
    const events: string[] = [];
    const ctrl = new AbortController();
    const watch = fetch(`${c.url}${CM}?watch=true&resourceVersion=${String(at(first.body, 'metadata.resourceVersion'))}&fieldSelector=metadata.name%3Dssa-1`, { signal: ctrl.signal }).then(async (r) => {
      const reader = r.body!.getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        events.push(new TextDecoder().decode(value));
      }
    }).catch(() => undefined);
    const again = await apply(cm('ssa-1', { a: '1', b: '2' }), 'alice');
    expect(again.status).toBe(200);
    expect(at(again.body, 'metadata.resourceVersion')).toBe(at(first.body, 'metadata.resourceVersion'));
    await http(c, 'PATCH', `${CM}/ssa-1`, { metadata: { labels: { marker: 'x' } } }, 'application/merge-patch+json');
    await waitFor(() => events.join('').includes('marker'), 'the marker event');
    ctrl.abort();
    await watch;
    expect(events.join('').trim().split('\n')).toHaveLength(1);
  });

  it('requires fieldManager', async () => {
    const r = await http(c, 'PATCH', `${CM}/ssa-x`, cm('ssa-x'), 'application/apply-patch+yaml');
    expect(r.status).toBe(400);
  });

  it('reports conflicts with other managers, unless forced', async () => {
    await apply(cm('ssa-2', { a: '1' }), 'alice');
    const clash = await apply(cm('ssa-2', { a: '2' }), 'bob');
    expect(clash.status).toBe(409);
    expect(clash.body).toMatchObject({ kind: 'Status', reason: 'Conflict', code: 409 });
    expect(clash.body['message']).toBe('Apply failed with 1 conflict: conflict with "alice" using v1: .data.a');
    expect(at(clash.body, 'details.causes.0')).toMatchObject({ reason: 'FieldManagerConflict', field: '.data.a' });
    const shared = await apply(cm('ssa-2', { a: '1' }), 'bob');
    expect(shared.status).toBe(200);
    const forced = await apply(cm('ssa-2', { a: '3' }), 'carol', true);
    expect(forced.status).toBe(200);
    expect(at(forced.body, 'data.a')).toBe('3');
    const owners = (at(forced.body, 'metadata.managedFields') as { manager: string; fieldsV1: unknown }[]).filter((m) => at(m.fieldsV1, 'f:data.f:a') !== undefined).map((m) => m.manager);
    expect(owners).toEqual(['carol']);
  });

  it('also conflicts with fields set by a non-apply update', async () => {
    await apply(cm('ssa-3', { a: '1' }), 'alice');
    await http(c, 'PATCH', `${CM}/ssa-3?fieldManager=editor`, { data: { a: 'edited' } }, 'application/merge-patch+json');
    const r = await apply(cm('ssa-3', { a: '1' }), 'alice');
    expect(r.status).toBe(409);
    expect(String(r.body['message'])).toContain('conflict with "editor"');
  });

  it('removes fields a manager stops applying when nobody else owns them', async () => {
    await apply(cm('ssa-4', { a: '1', b: '2' }), 'alice');
    await apply(cm('ssa-4', { b: '2', c: '3' }), 'bob');
    const r = await apply(cm('ssa-4', { c: 'x' }, undefined), 'alice', true);
    expect(r.body['data']).toEqual({ b: '2', c: 'x' });
  });
});

describe('deletion and garbage collection', () => {
  async function deployReady(name: string): Promise<void> {
    await http(c, 'POST', DEPLOY, deployment(name, 'nginx:1', 2));
    await waitFor(async () => at((await http(c, 'GET', `${DEPLOY}/${name}`)).body, 'status.availableReplicas') === 2, `${name} available`);
  }
  const podsOf = async (app: string): Promise<number> => items((await http(c, 'GET', `/api/v1/namespaces/default/pods?labelSelector=app%3D${app}`)).body).length;
  const rsOf = async (app: string): Promise<number> => items((await http(c, 'GET', `/apis/apps/v1/namespaces/default/replicasets?labelSelector=app%3D${app}`)).body).length;

  it('Background: the owner goes at once, dependents follow', async () => {
    await deployReady('gc-bg');
    const r = await http(c, 'DELETE', `${DEPLOY}/gc-bg`, { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Background' });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ kind: 'Status', status: 'Success' });
    await waitFor(async () => (await rsOf('gc-bg')) === 0 && (await podsOf('gc-bg')) === 0, 'dependents gone');
  });

  it('Foreground: the owner stays with a deletionTimestamp until dependents are gone', async () => {
    await deployReady('gc-fg');
    const r = await http(c, 'DELETE', `${DEPLOY}/gc-fg?propagationPolicy=Foreground`);
    expect(at(r.body, 'metadata.deletionTimestamp')).toBeTruthy();
    expect(at(r.body, 'metadata.finalizers')).toContain('foregroundDeletion');
    await waitFor(async () => (await http(c, 'GET', `${DEPLOY}/gc-fg`)).status === 404, 'owner gone');
    expect(await rsOf('gc-fg')).toBe(0);
    expect(await podsOf('gc-fg')).toBe(0);
  });

  it('Orphan: dependents stay, without the ownerReference', async () => {
    await deployReady('gc-or');
    await http(c, 'DELETE', `${DEPLOY}/gc-or`, { propagationPolicy: 'Orphan' });
    await waitFor(async () => (await http(c, 'GET', `${DEPLOY}/gc-or`)).status === 404, 'owner gone');
    const rs = items((await http(c, 'GET', '/apis/apps/v1/namespaces/default/replicasets?labelSelector=app%3Dgc-or')).body);
    expect(rs).toHaveLength(1);
    expect(at(rs[0], 'metadata.ownerReferences')).toBeUndefined();
    expect(await podsOf('gc-or')).toBe(2);
  });

  it('honours preconditions', async () => {
    await http(c, 'POST', CM, cm('precond'));
    const r = await http(c, 'DELETE', `${CM}/precond`, { preconditions: { uid: 'not-the-uid' } });
    expect(r.status).toBe(409);
  });
});

describe('namespaces', () => {
  it('pass through Terminating (held by a finalizer), refuse new content with 403, then remove everything', async () => {
    expect((await http(c, 'POST', '/api/v1/namespaces', { metadata: { name: 'doomed' } })).status).toBe(201);
    await http(c, 'POST', '/api/v1/namespaces/doomed/configmaps', cm('inside'));
    await http(c, 'POST', '/api/v1/namespaces/doomed/configmaps', { metadata: { name: 'held', finalizers: ['example.com/hold'] } });
    const del = await http(c, 'DELETE', '/api/v1/namespaces/doomed');
    expect(at(del.body, 'status.phase')).toBe('Terminating');
    expect(at(del.body, 'metadata.deletionTimestamp')).toBeTruthy();
    const refused = await http(c, 'POST', '/api/v1/namespaces/doomed/configmaps', cm('late'));
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ kind: 'Status', reason: 'Forbidden', code: 403 });
    expect(String(refused.body['message'])).toBe('configmaps "late" is forbidden: unable to create new content in namespace doomed because it is being terminated');
    await waitFor(async () => at((await http(c, 'GET', '/api/v1/namespaces/doomed/configmaps/held')).body, 'metadata.deletionTimestamp'), 'held object marked for deletion');
    expect((await http(c, 'GET', '/api/v1/namespaces/doomed/configmaps/inside')).status).toBe(404);
    expect(at((await http(c, 'GET', '/api/v1/namespaces/doomed')).body, 'status.phase')).toBe('Terminating');
    await http(c, 'PATCH', '/api/v1/namespaces/doomed/configmaps/held', { metadata: { finalizers: null } }, 'application/merge-patch+json');
    await waitFor(async () => (await http(c, 'GET', '/api/v1/namespaces/doomed')).status === 404, 'namespace gone');
    expect(items((await http(c, 'GET', '/api/v1/namespaces/doomed/configmaps')).body)).toHaveLength(0);
  });

  it('get the default ServiceAccount and kube-root-ca.crt', async () => {
    await http(c, 'POST', '/api/v1/namespaces', { metadata: { name: 'fresh' } });
    await waitFor(async () => (await http(c, 'GET', '/api/v1/namespaces/fresh/serviceaccounts/default')).status === 200, 'default SA');
    expect((await http(c, 'GET', '/api/v1/namespaces/fresh/configmaps/kube-root-ca.crt')).status).toBe(200);
  });
});

describe('lists: selectors and paging', () => {
  beforeAll(async () => {
    await http(c, 'POST', '/api/v1/namespaces', { metadata: { name: 'paging' } });
    for (let i = 0; i < 7; i++) {
      await http(c, 'POST', '/api/v1/namespaces/paging/configmaps', cm(`p-${i}`, { i: String(i) }, { tier: i % 2 ? 'odd' : 'even', ...(i === 0 ? { special: 'yes' } : {}) }));
    }
  });

  it('filters by label selector', async () => {
    const get = async (sel: string): Promise<string[]> => names((await http(c, 'GET', `/api/v1/namespaces/paging/configmaps?labelSelector=${encodeURIComponent(sel)}`)).body);
    expect(await get('tier=odd')).toEqual(['p-1', 'p-3', 'p-5']);
    expect(await get('tier!=odd,tier')).toEqual(['p-0', 'p-2', 'p-4', 'p-6']);
    expect(await get('tier in (odd),!special')).toEqual(['p-1', 'p-3', 'p-5']);
    expect(await get('special')).toEqual(['p-0']);
    expect(await get('tier,tier notin (odd,even)')).toEqual([]);
    expect(await get('tier notin (odd,even)')).toEqual(['kube-root-ca.crt']);
  });

  it('filters by field selector, across namespaces too', async () => {
    const r = await http(c, 'GET', '/api/v1/configmaps?fieldSelector=metadata.name%3Dp-3');
    expect(names(r.body)).toEqual(['p-3']);
    const ns = await http(c, 'GET', '/api/v1/configmaps?fieldSelector=metadata.namespace%3Dpaging,metadata.name!%3Dkube-root-ca.crt');
    expect(names(ns.body)).toHaveLength(7);
    const bad = await http(c, 'GET', '/api/v1/configmaps?fieldSelector=spec.x%3D1');
    expect(bad.status).toBe(400);
  });

  it('pages with limit/continue and remainingItemCount', async () => {
    const first = await http(c, 'GET', '/api/v1/namespaces/paging/configmaps?limit=3&labelSelector=tier');
    expect(names(first.body)).toEqual(['p-0', 'p-1', 'p-2']);
    const token = String(at(first.body, 'metadata.continue'));
    const second = await http(c, 'GET', `/api/v1/namespaces/paging/configmaps?limit=3&labelSelector=tier&continue=${encodeURIComponent(token)}`);
    expect(names(second.body)).toEqual(['p-3', 'p-4', 'p-5']);
    const third = await http(c, 'GET', `/api/v1/namespaces/paging/configmaps?limit=3&labelSelector=tier&continue=${encodeURIComponent(String(at(second.body, 'metadata.continue')))}`);
    expect(names(third.body)).toEqual(['p-6']);
    expect(at(third.body, 'metadata.continue')).toBeUndefined();
    const plain = await http(c, 'GET', '/api/v1/namespaces/paging/configmaps?limit=2');
    expect(at(plain.body, 'metadata.remainingItemCount')).toBe(6);
  });
});
