import type { SandboxCluster } from '../src/index.js';
import { at, deployment, fastCluster, http, kubectl } from './helpers.js';

let cluster: SandboxCluster;
beforeAll(async () => {
  cluster = await fastCluster();
});
afterAll(async () => {
  await cluster.stop();
});

const CM = '/api/v1/namespaces/default/configmaps';
const DEPLOY = '/apis/apps/v1/namespaces/default/deployments';

function cm(name: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { a: '1' }, ...extra };
}

describe('fieldValidation', () => {
  const withUnknown = (name: string): Record<string, unknown> => {
    const d = deployment(name);
    (d['spec'] as Record<string, unknown>)['foo'] = 1;
    return d;
  };

  it('Strict rejects unknown fields with 400 naming them, and stores nothing', async () => {
    const r = await http(cluster, 'POST', `${DEPLOY}?fieldValidation=Strict`, withUnknown('strict'));
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ reason: 'BadRequest', message: 'Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.foo"' });
    expect((await http(cluster, 'GET', `${DEPLOY}/strict`)).status).toBe(404);
  });

  it('Warn (and no parameter, the default) drops unknown fields with a Warning header', async () => {
    for (const [name, query] of [['warn', '?fieldValidation=Warn'], ['default', '']] as const) {
      const r = await http(cluster, 'POST', `${DEPLOY}${query}`, withUnknown(name));
      expect(r.status).toBe(201);
      expect(r.headers.get('warning')).toBe('299 - "unknown field \\"spec.foo\\""');
      expect(at(r.body, 'spec.foo')).toBeUndefined();
      expect(at((await http(cluster, 'GET', `${DEPLOY}/${name}`)).body, 'spec.foo')).toBeUndefined();
    }
  });

  it('Ignore drops unknown fields silently', async () => {
    const r = await http(cluster, 'POST', `${DEPLOY}?fieldValidation=Ignore`, withUnknown('ignore'));
    expect(r.status).toBe(201);
    expect(r.headers.get('warning')).toBeNull();
    expect(at(r.body, 'spec.foo')).toBeUndefined();
  });

  it('applies to patches and server-side apply too', async () => {
    await http(cluster, 'POST', CM, cm('patched'));
    const strict = await http(cluster, 'PATCH', `${CM}/patched?fieldValidation=Strict`, { spec: { x: 1 } }, 'application/merge-patch+json');
    expect(strict).toMatchObject({ status: 400, body: { message: 'strict decoding error: unknown field "spec"' } });
    const warn = await http(cluster, 'PATCH', `${CM}/patched`, { dataz: { x: '1' } }, 'application/strategic-merge-patch+json');
    expect(warn.status).toBe(200);
    expect(warn.headers.get('warning')).toContain('unknown field \\"dataz\\"');
    expect(warn.body['dataz']).toBeUndefined();
    const applyStrict = await http(cluster, 'PATCH', `${CM}/applied?fieldManager=t&fieldValidation=Strict`, cm('applied', { extra: 1 }), 'application/apply-patch+yaml');
    expect(applyStrict).toMatchObject({ status: 400, body: { message: '.extra: field not declared in schema' } });
    const applyWarn = await http(cluster, 'PATCH', `${CM}/applied?fieldManager=t`, cm('applied', { extra: 1 }), 'application/apply-patch+yaml');
    expect(applyWarn.status).toBe(201);
    expect(applyWarn.body['extra']).toBeUndefined();
    expect(JSON.stringify(at(applyWarn.body, 'metadata.managedFields'))).not.toContain('extra');
  });

  it('names duplicate JSON fields: 400 with Strict, a warning with Warn (the last value wins)', async () => {
    const body = '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"dup","labels":{"a":"1","a":"2"}},"data":{"k":"1"},"data":{"k":"2"}}';
    const strict = await http(cluster, 'POST', `${CM}?fieldValidation=Strict`, body);
    expect(strict.status).toBe(400);
    expect(strict.body['message']).toBe('ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: duplicate field "metadata.labels.a", duplicate field "data"');
    const warn = await http(cluster, 'POST', CM, body);
    expect(warn.status).toBe(201);
    expect(warn.headers.get('warning')).toBe('299 - "duplicate field \\"metadata.labels.a\\"", 299 - "duplicate field \\"data\\""');
    expect(at(warn.body, 'data.k')).toBe('2');
  });

  it('rejects an unknown fieldValidation directive', async () => {
    expect((await http(cluster, 'POST', `${CM}?fieldValidation=Loose`, cm('loose'))).status).toBe(400);
  });

  it('kubectl apply (Strict by default) reports the unknown field', async () => {
    const manifest = JSON.stringify(withUnknown('kubectl-strict'));
    const r = await kubectl(cluster, ['apply', '-f', '-'], manifest);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('unknown field "spec.foo"');
  });
});

describe('kubectl sees the real messages', () => {
  it('server-side dry-run of requests above limits names the field', async () => {
    const d = deployment('over');
    (at(d, 'spec.template.spec.containers.0') as Record<string, unknown>)['resources'] = { requests: { cpu: '2' }, limits: { cpu: '1' } };
    const r = await kubectl(cluster, ['apply', '--dry-run=server', '-f', '-'], JSON.stringify(d));
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('The Deployment "over" is invalid: spec.template.spec.containers[0].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 1');
  });
});

describe('quantities', () => {
  it('are stored in canonical form', async () => {
    const d = deployment('quantities');
    const c = at(d, 'spec.template.spec.containers.0') as Record<string, unknown>;
    c['resources'] = { requests: { cpu: '0.5', memory: '1024Mi' }, limits: { cpu: '1000m', memory: '1.5Gi', 'ephemeral-storage': '010' } };
    const r = await http(cluster, 'POST', DEPLOY, d);
    expect(r.status).toBe(201);
    const stored = at((await http(cluster, 'GET', `${DEPLOY}/quantities`)).body, 'spec.template.spec.containers.0.resources');
    expect(stored).toEqual({ requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '1', memory: '1536Mi', 'ephemeral-storage': '10' } });
  });
});

describe('immutable fields', () => {
  it('a Deployment selector', async () => {
    await http(cluster, 'POST', DEPLOY, deployment('sel'));
    const r = await http(cluster, 'PATCH', `${DEPLOY}/sel`, { spec: { selector: { matchLabels: { app: 'sel', tier: 'x' } }, template: { metadata: { labels: { tier: 'x' } } } } }, 'application/strategic-merge-patch+json');
    expect(r.status).toBe(422);
    expect(at(r.body, 'details.causes.0')).toMatchObject({ field: 'spec.selector', reason: 'FieldValueInvalid' });
    expect(String(r.body['message'])).toContain('field is immutable');
  });

  it('an immutable ConfigMap: its data and the flag itself; deleting it still works', async () => {
    await http(cluster, 'POST', CM, cm('frozen', { immutable: true }));
    const data = await http(cluster, 'PATCH', `${CM}/frozen`, { data: { a: '2' } }, 'application/merge-patch+json');
    expect(data.status).toBe(422);
    expect(at(data.body, 'details.causes.0')).toMatchObject({ field: 'data', reason: 'FieldValueForbidden', message: 'Forbidden: field is immutable when `immutable` is set' });
    const flag = await http(cluster, 'PATCH', `${CM}/frozen`, { immutable: false }, 'application/merge-patch+json');
    expect(at(flag.body, 'details.causes.0')).toMatchObject({ field: 'immutable' });
    const labels = await http(cluster, 'PATCH', `${CM}/frozen`, { metadata: { labels: { ok: 'yes' } } }, 'application/merge-patch+json');
    expect(labels.status).toBe(200);
    expect((await http(cluster, 'DELETE', `${CM}/frozen`)).status).toBe(200);
  });

  it("a Secret's type, and an immutable Secret's data", async () => {
    const path = '/api/v1/namespaces/default/secrets';
    await http(cluster, 'POST', path, { metadata: { name: 'typed' }, type: 'Opaque', data: { k: 'dg==' }, immutable: true });
    const type = await http(cluster, 'PATCH', `${path}/typed`, { type: 'kubernetes.io/basic-auth', data: { username: 'dQ==' } }, 'application/merge-patch+json');
    expect(type.status).toBe(422);
    expect((at(type.body, 'details.causes') as { field: string }[]).map((c) => c.field)).toEqual(expect.arrayContaining(['type', 'data']));
  });

  it("a Service's clusterIP (an update that omits it keeps it)", async () => {
    const path = '/api/v1/namespaces/default/services';
    const svc = { metadata: { name: 'ip' }, spec: { selector: { app: 'ip' }, ports: [{ port: 80 }] } };
    const created = await http(cluster, 'POST', path, svc);
    const ip = at(created.body, 'spec.clusterIP');
    const replaced = await http(cluster, 'PUT', `${path}/ip`, svc);
    expect(replaced.status).toBe(200);
    expect(at(replaced.body, 'spec.clusterIP')).toBe(ip);
    const changed = await http(cluster, 'PATCH', `${path}/ip`, { spec: { clusterIP: '10.96.200.200', clusterIPs: ['10.96.200.200'] } }, 'application/merge-patch+json');
    expect(changed.status).toBe(422);
    expect(at(changed.body, 'details.causes.0')).toMatchObject({ field: 'spec.clusterIPs[0]' });
  });

  it("a PersistentVolumeClaim's spec, except a larger storage request", async () => {
    const path = '/api/v1/namespaces/default/persistentvolumeclaims';
    await http(cluster, 'POST', path, { metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } });
    const grown = await http(cluster, 'PATCH', `${path}/data`, { spec: { resources: { requests: { storage: '2Gi' } } } }, 'application/merge-patch+json');
    expect(grown.status).toBe(200);
    const mode = await http(cluster, 'PATCH', `${path}/data`, { spec: { accessModes: ['ReadWriteMany'] } }, 'application/merge-patch+json');
    expect(mode.status).toBe(422);
    expect(at(mode.body, 'details.causes.0')).toMatchObject({ field: 'spec', reason: 'FieldValueForbidden' });
  });

  it("a Pod's spec, except its images", async () => {
    const path = '/api/v1/namespaces/default/pods';
    await http(cluster, 'POST', path, { metadata: { name: 'pinned' }, spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] } });
    const env = await http(cluster, 'PATCH', `${path}/pinned`, { spec: { containers: [{ name: 'app', env: [{ name: 'A', value: '1' }] }] } }, 'application/strategic-merge-patch+json');
    expect(env.status).toBe(422);
    expect(at(env.body, 'details.causes.0')).toMatchObject({ field: 'spec', reason: 'FieldValueForbidden' });
    const image = await http(cluster, 'PATCH', `${path}/pinned`, { spec: { containers: [{ name: 'app', image: 'nginx:1.28' }] } }, 'application/strategic-merge-patch+json');
    expect(image.status).toBe(200);
    expect(at(image.body, 'spec.containers.0.image')).toBe('nginx:1.28');
  });
});

describe('boolean query parameters as the apiserver converts them', () => {
  it('watch=True (the Python client) is a watch; watch=false is a list', async () => {
    const ctl = new AbortController();
    const res = await fetch(`${cluster.url}${CM}?watch=True&timeoutSeconds=1`, { signal: ctl.signal });
    const text = await res.text();
    expect(text.split('\n')[0]).toContain('"type":"ADDED"');
    const list = await http(cluster, 'GET', `${CM}?watch=false`);
    expect(list.body['kind']).toBe('ConfigMapList');
  });

  it('force=True takes over fields another manager owns', async () => {
    await http(cluster, 'PATCH', `${CM}/forced?fieldManager=a`, cm('forced'), 'application/apply-patch+yaml');
    const clash = await http(cluster, 'PATCH', `${CM}/forced?fieldManager=b&force=False`, cm('forced', { data: { a: '2' } }), 'application/apply-patch+yaml');
    expect(clash.status).toBe(409);
    const forced = await http(cluster, 'PATCH', `${CM}/forced?fieldManager=b&force=True`, cm('forced', { data: { a: '2' } }), 'application/apply-patch+yaml');
    expect(forced.status).toBe(200);
    expect(at(forced.body, 'data.a')).toBe('2');
  });
});

describe('server-side apply prunes what a manager stops applying', () => {
  it('a probe that moves from tcpSocket to httpGet keeps no empty tcpSocket (one handler, valid)', async () => {
    const withProbe = (probe: Record<string, unknown>): Record<string, unknown> => {
      const d = deployment('probed');
      (at(d, 'spec.template.spec.containers.0') as Record<string, unknown>)['readinessProbe'] = probe;
      return d;
    };
    const first = await http(cluster, 'PATCH', `${DEPLOY}/probed?fieldManager=berth`, withProbe({ tcpSocket: { port: 8080 } }), 'application/apply-patch+yaml');
    expect(first.status).toBe(201);
    const second = await http(cluster, 'PATCH', `${DEPLOY}/probed?fieldManager=berth`, withProbe({ httpGet: { path: '/healthz', port: 8080 } }), 'application/apply-patch+yaml');
    expect(second.status).toBe(200);
    expect(at(second.body, 'spec.template.spec.containers.0.readinessProbe.tcpSocket')).toBeUndefined();
    expect(at(second.body, 'spec.template.spec.containers.0.readinessProbe.httpGet.path')).toBe('/healthz');
  });
});
