import { startSandboxCluster, type SandboxCluster } from '../src/index.js';
import { at, fastCluster, http } from './helpers.js';

describe('discovery', () => {
  let c: SandboxCluster;
  beforeAll(async () => {
    c = await fastCluster({ name: 'discovery' });
  });
  afterAll(() => c.stop());

  it('serves /version, /api, /apis and group versions', async () => {
    expect((await http(c, 'GET', '/version')).body).toMatchObject({ major: '1', minor: '32' });
    expect((await http(c, 'GET', '/api')).body).toMatchObject({ kind: 'APIVersions', versions: ['v1'] });
    const apis = await http(c, 'GET', '/apis');
    expect(apis.body['kind']).toBe('APIGroupList');
    const groups = (apis.body['groups'] as { name: string }[]).map((g) => g.name);
    expect(groups).toEqual(expect.arrayContaining(['apps', 'networking.k8s.io', 'autoscaling', 'policy', 'coordination.k8s.io']));
    const apps = await http(c, 'GET', '/apis/apps/v1');
    const resources = (apps.body['resources'] as { name: string }[]).map((r) => r.name);
    expect(resources).toEqual(expect.arrayContaining(['deployments', 'deployments/status', 'deployments/scale', 'replicasets']));
    const core = await http(c, 'GET', '/api/v1');
    expect((core.body['resources'] as { name: string }[]).map((r) => r.name)).toEqual(expect.arrayContaining(['pods', 'pods/log', 'configmaps', 'resourcequotas', 'limitranges']));
  });

  it('serves aggregated discovery when asked, the legacy list otherwise', async () => {
    const accept = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json';
    const agg = await http(c, 'GET', '/apis', undefined, undefined, { accept });
    expect(agg.headers.get('content-type')).toBe('application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList');
    expect(agg.body['kind']).toBe('APIGroupDiscoveryList');
    const apps = (agg.body['items'] as { metadata: { name: string } }[]).find((i) => i.metadata.name === 'apps');
    expect(at(apps, 'versions.0.resources.0.responseKind.group')).toBe('apps');
    const coreAgg = await http(c, 'GET', '/api', undefined, undefined, { accept });
    expect(at(coreAgg.body, 'items.0.metadata.name')).toBe('');
  });
});

describe('faults, stats and auth', () => {
  let c: SandboxCluster;
  beforeAll(async () => {
    c = await fastCluster({ name: 'faults', token: 's3cret' });
  });
  afterAll(() => c.stop());
  const auth = { authorization: 'Bearer s3cret' };

  it('requires the bearer token when one is set', async () => {
    const r = await http(c, 'GET', '/api/v1/namespaces');
    expect(r.status).toBe(401);
    expect(r.body).toMatchObject({ kind: 'Status', reason: 'Unauthorized', code: 401 });
    expect((await http(c, 'GET', '/api/v1/namespaces', undefined, undefined, auth)).status).toBe(200);
    expect(c.kubeconfig).toContain('token: s3cret');
  });

  it('counts requests by verb and resource, mutating or not', async () => {
    c.resetStats();
    await http(c, 'POST', '/api/v1/namespaces/default/configmaps', { metadata: { name: 's1' } }, 'application/json', auth);
    await http(c, 'PATCH', '/api/v1/namespaces/default/configmaps/s1', { data: { a: 'b' } }, 'application/merge-patch+json', auth);
    await http(c, 'GET', '/api/v1/namespaces/default/configmaps', undefined, undefined, auth);
    await http(c, 'GET', '/api/v1/namespaces/default/configmaps/s1', undefined, undefined, auth);
    await http(c, 'DELETE', '/api/v1/namespaces/default/configmaps/s1', undefined, undefined, auth);
    const s = c.stats();
    expect(s.byVerb).toEqual({ create: 1, patch: 1, list: 1, get: 1, delete: 1 });
    expect(s.mutating).toBe(3);
    expect(s.byResource['configmaps']).toMatchObject({ total: 5, mutating: 3 });
    const overHttp = await http(c, 'GET', '/_sandbox/stats');
    expect(overHttp.body['mutating']).toBe(3);
    await http(c, 'DELETE', '/_sandbox/stats');
    expect(c.stats().total).toBe(0);
  });

  it('injects errors, throttling and latency, switchable at runtime and over HTTP', async () => {
    c.faults.set({ errorRate: 1, errorStatus: 503 });
    const e = await http(c, 'GET', '/api/v1/namespaces', undefined, undefined, auth);
    expect(e.status).toBe(503);
    expect(e.body).toMatchObject({ kind: 'Status', code: 503, reason: 'ServiceUnavailable' });
    c.faults.set({ errorRate: 0, throttle: true, retryAfterSeconds: 7 });
    const t = await http(c, 'GET', '/api/v1/namespaces', undefined, undefined, auth);
    expect(t.status).toBe(429);
    expect(t.headers.get('retry-after')).toBe('7');
    expect(t.body).toMatchObject({ reason: 'TooManyRequests', details: { retryAfterSeconds: 7 } });
    const put = await http(c, 'PUT', '/_sandbox/faults', { throttle: false, errorRate: 1, errorStatus: 500 });
    expect(put.body).toMatchObject({ throttle: false, errorRate: 1, errorStatus: 500 });
    expect((await http(c, 'GET', '/api/v1/namespaces', undefined, undefined, auth)).status).toBe(500);
    expect((await http(c, 'PUT', '/_sandbox/faults', { errorRate: 2 })).status).toBe(400);
    await c.faults.reset();
    expect((await http(c, 'GET', '/api/v1/namespaces', undefined, undefined, auth)).status).toBe(200);
  });

  it('goes down (connection refused) and comes back on the same port', async () => {
    const port = c.port;
    await c.faults.down();
    await expect(fetch(`${c.url}/version`)).rejects.toThrow();
    await c.faults.up();
    expect(c.port).toBe(port);
    expect((await http(c, 'GET', '/version', undefined, undefined, auth)).status).toBe(200);
  });
});

describe('several clusters at once', () => {
  it('run side by side with separate state', async () => {
    const [a, b] = await Promise.all([startSandboxCluster({ name: 'east' }), startSandboxCluster({ name: 'west' })]);
    try {
      expect(a.url).not.toBe(b.url);
      await http(a, 'POST', '/api/v1/namespaces', { metadata: { name: 'only-east' } });
      expect((await http(a, 'GET', '/api/v1/namespaces/only-east')).status).toBe(200);
      expect((await http(b, 'GET', '/api/v1/namespaces/only-east')).status).toBe(404);
      expect(a.kubeconfig).toContain('current-context: east');
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });
});
