import type { SandboxCluster } from '../src/index.js';
import { at, deployment, fastCluster, http, items, kubectl, waitFor } from './helpers.js';

/** The answering APIs, events.k8s.io, prune kinds, endpoints and the smaller controller behaviours. */
let c: SandboxCluster;

beforeAll(async () => {
  c = await fastCluster({ name: 'apis' });
  await kubectl(c, ['create', 'namespace', 'apis']);
});
afterAll(() => c.stop());

const get = async (path: string): Promise<Record<string, unknown>> => (await http(c, 'GET', path)).body;
const condition = (obj: unknown, type: string): Record<string, unknown> | undefined =>
  ((at(obj, 'status.conditions') as Record<string, unknown>[] | undefined) ?? []).find((x) => x['type'] === type);

describe('identity and tokens', () => {
  it('kubectl create token mints a service-account token that the SelfSubjectReview (auth whoami) then reports', async () => {
    const token = (await kubectl(c, ['-n', 'apis', 'create', 'token', 'default', '--duration=1h'])).stdout.trim();
    expect(token.split('.')).toHaveLength(3);
    const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
    expect(claims).toMatchObject({ sub: 'system:serviceaccount:apis:default', 'kubernetes.io': { namespace: 'apis', serviceaccount: { name: 'default' } } });
    expect(Number(claims['exp']) - Number(claims['iat'])).toBe(3600);
    const me = await kubectl(c, ['auth', 'whoami']);
    expect(me.stdout).toMatch(/^ATTRIBUTE\s+VALUE\nUsername\s+sandbox-admin\nGroups\s+\[system:masters system:authenticated\]\n/);
    // kubectl sends no bearer token over plain http, so the minted token is presented over HTTP here.
    const sa = await http(c, 'POST', '/apis/authentication.k8s.io/v1/selfsubjectreviews', { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' }, 'application/json', { authorization: `Bearer ${token}` });
    expect(sa.status).toBe(201);
    expect(at(sa.body, 'status.userInfo')).toMatchObject({ username: 'system:serviceaccount:apis:default', groups: ['system:serviceaccounts', 'system:serviceaccounts:apis', 'system:authenticated'] });
    const missing = await kubectl(c, ['-n', 'apis', 'create', 'token', 'nobody']);
    expect(missing.stderr).toContain('serviceaccounts "nobody" not found');
    const short = await kubectl(c, ['-n', 'apis', 'create', 'token', 'default', '--duration=1m']);
    expect(short.stderr).toContain('TokenRequest.authentication.k8s.io "default" is invalid: spec.expirationSeconds: Invalid value: 60: may not specify a duration less than 10 minutes');
  });

  it('kubectl auth can-i answers yes for the kubeconfig user, and --list shows every rule', async () => {
    const yes = await kubectl(c, ['auth', 'can-i', 'create', 'deployments', '-n', 'apis']);
    expect(yes.stdout.trim()).toBe('yes');
    expect(yes.code).toBe(0);
    const list = await kubectl(c, ['auth', 'can-i', '--list']);
    expect(list.stdout).toMatch(/\*\.\*\s+\[\]\s+\[\]\s+\[\*\]/);
    const review = await http(c, 'POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', { spec: { resourceAttributes: { verb: 'delete', resource: 'pods', namespace: 'apis' } } });
    expect(review.status).toBe(201);
    expect(at(review.body, 'status.allowed')).toBe(true);
    expect((await http(c, 'GET', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews')).status).toBe(405);
  });
});

describe('events.k8s.io/v1', () => {
  it('serves the core events as events.k8s.io/v1 with the upstream field names, and accepts writes there', async () => {
    await http(c, 'POST', '/apis/apps/v1/namespaces/apis/deployments', deployment('evt', 'example/app', 1));
    await waitFor(async () => items(await get('/api/v1/namespaces/apis/events?fieldSelector=reason%3DScalingReplicaSet')).length, 'an event');
    const v1 = items(await get('/apis/events.k8s.io/v1/namespaces/apis/events'));
    const scaled = v1.find((e) => e['reason'] === 'ScalingReplicaSet')!;
    expect(scaled).toMatchObject({ apiVersion: 'events.k8s.io/v1', kind: 'Event', regarding: { kind: 'Deployment', name: 'evt' }, note: expect.stringContaining('Scaled up replica set'), deprecatedCount: 1, reportingController: 'deployment-controller' });
    expect(scaled['message']).toBeUndefined();
    const made = await http(c, 'POST', '/apis/events.k8s.io/v1/namespaces/apis/events', {
      metadata: { name: 'manual' },
      eventTime: '2026-01-01T00:00:00.000000Z',
      reportingController: 'berth',
      reportingInstance: 'berth-1',
      action: 'Deploy',
      reason: 'Released',
      note: 'release v3',
      type: 'Normal',
      regarding: { kind: 'Deployment', namespace: 'apis', name: 'evt' },
    });
    expect(made.status).toBe(201);
    expect(await get('/api/v1/namespaces/apis/events/manual')).toMatchObject({ message: 'release v3', involvedObject: { name: 'evt' }, reportingComponent: 'berth' });
    const patched = await http(c, 'PATCH', '/apis/events.k8s.io/v1/namespaces/apis/events/manual', { note: 'release v4' }, 'application/merge-patch+json');
    expect(patched.status).toBe(200);
    const core = await get('/api/v1/namespaces/apis/events/manual');
    expect(core).toMatchObject({ message: 'release v4' });
    expect(core['spec']).toBeUndefined();
  });
});

describe('prune kinds, endpoints and controller details', () => {
  it('kubectl apply --prune -l removes labelled objects no longer in the set (default prune list resolves)', async () => {
    const cm = (name: string): string => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: apis\n  labels: {set: one}\n`;
    expect((await kubectl(c, ['apply', '-f', '-'], `${cm('keep')}---\n${cm('drop')}`)).code).toBe(0);
    const pruned = await kubectl(c, ['apply', '--prune', '-l', 'set=one', '-f', '-'], cm('keep'));
    expect(pruned.stderr).not.toContain('error');
    expect(pruned.stdout).toContain('configmap/drop pruned');
    expect((await http(c, 'GET', '/api/v1/namespaces/apis/configmaps/drop')).status).toBe(404);
    for (const path of ['/api/v1/namespaces/apis/replicationcontrollers', '/apis/apps/v1/namespaces/apis/statefulsets', '/apis/apps/v1/namespaces/apis/daemonsets', '/api/v1/persistentvolumes', '/apis/discovery.k8s.io/v1/namespaces/apis/endpointslices']) {
      expect((await http(c, 'GET', path)).status).toBe(200);
    }
  });

  it('Endpoints and EndpointSlices follow a Service selector and the readiness of its pods', async () => {
    await http(c, 'POST', '/apis/apps/v1/namespaces/apis/deployments', deployment('shop', 'example/shop', 2));
    await http(c, 'POST', '/api/v1/namespaces/apis/services', { metadata: { name: 'shop', labels: { team: 'a' } }, spec: { selector: { app: 'shop' }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] } });
    const ep = await waitFor(async () => {
      const o = await get('/api/v1/namespaces/apis/endpoints/shop');
      return (at(o, 'subsets.0.addresses') as unknown[] | undefined)?.length === 2 ? o : undefined;
    }, 'two ready endpoints');
    expect(at(ep, 'subsets.0.ports')).toEqual([{ name: 'http', port: 8080, protocol: 'TCP' }]);
    expect(at(ep, 'subsets.0.addresses.0')).toMatchObject({ ip: expect.stringMatching(/^10\.244\./), nodeName: 'sandbox-node', targetRef: { kind: 'Pod', namespace: 'apis' } });
    const slices = items(await get('/apis/discovery.k8s.io/v1/namespaces/apis/endpointslices?labelSelector=kubernetes.io%2Fservice-name%3Dshop'));
    expect(slices).toHaveLength(1);
    expect(slices[0]).toMatchObject({ addressType: 'IPv4', ports: [{ name: 'http', port: 8080, protocol: 'TCP' }] });
    expect((slices[0]!['endpoints'] as unknown[]).length).toBe(2);
    expect(at(slices[0], 'endpoints.0.conditions')).toEqual({ ready: true, serving: true, terminating: false });
    const table = await kubectl(c, ['-n', 'apis', 'get', 'endpoints', 'shop']);
    expect(table.stdout).toMatch(/\nshop\s+10\.244\.\S+:8080,10\.244\.\S+:8080\s+/);
    await kubectl(c, ['-n', 'apis', 'scale', 'deployment', 'shop', '--replicas=0']);
    await waitFor(async () => at(await get('/api/v1/namespaces/apis/endpoints/shop'), 'subsets') === undefined, 'no endpoints');
  });

  it('a Deployment carries its revision annotation; paused shows DeploymentPaused', async () => {
    await http(c, 'POST', '/apis/apps/v1/namespaces/apis/deployments', deployment('rev', 'example/app:1', 1));
    await waitFor(async () => at(await get('/apis/apps/v1/namespaces/apis/deployments/rev'), 'metadata.annotations')?.toString() !== undefined && (at(await get('/apis/apps/v1/namespaces/apis/deployments/rev'), 'metadata.annotations') as Record<string, string>)['deployment.kubernetes.io/revision'] === '1', 'revision 1');
    // As on a real cluster: the controller sets the annotation with its status (one UpdateStatus), so
    // it is the controller's in its status entry, and the controller never updates the Deployment itself.
    const managed = at(await get('/apis/apps/v1/namespaces/apis/deployments/rev'), 'metadata.managedFields') as Array<Record<string, unknown>>;
    const controller = managed.filter((e) => e['manager'] === 'kube-controller-manager');
    expect(controller.map((e) => [e['operation'], e['subresource']])).toEqual([['Update', 'status']]);
    expect(at(controller[0], 'fieldsV1')).toMatchObject({ 'f:metadata': { 'f:annotations': { '.': {}, 'f:deployment.kubernetes.io/revision': {} } }, 'f:status': expect.objectContaining({ 'f:conditions': expect.any(Object) }) });
    await kubectl(c, ['-n', 'apis', 'set', 'image', 'deployment/rev', 'app=example/app:2']);
    await waitFor(async () => (at(await get('/apis/apps/v1/namespaces/apis/deployments/rev'), 'metadata.annotations') as Record<string, string>)['deployment.kubernetes.io/revision'] === '2', 'revision 2');
    expect((await kubectl(c, ['-n', 'apis', 'rollout', 'pause', 'deployment/rev'])).code).toBe(0);
    const paused = await waitFor(async () => {
      const o = await get('/apis/apps/v1/namespaces/apis/deployments/rev');
      return condition(o, 'Progressing')?.['reason'] === 'DeploymentPaused' ? o : undefined;
    }, 'paused');
    expect(condition(paused, 'Progressing')).toMatchObject({ status: 'Unknown', message: 'Deployment is paused' });
    await kubectl(c, ['-n', 'apis', 'rollout', 'resume', 'deployment/rev']);
    await waitFor(async () => condition(await get('/apis/apps/v1/namespaces/apis/deployments/rev'), 'Progressing')?.['reason'] !== 'DeploymentPaused', 'resumed');
    const history = await kubectl(c, ['-n', 'apis', 'rollout', 'history', 'deployment/rev']);
    expect(history.stdout).toMatch(/REVISION\s+CHANGE-CAUSE\n1\s+<none>\n2\s+<none>/);
  });

  it('a Deployment’s status write takes its annotations and leaves its labels and spec, as its status strategy does', async () => {
    const path = '/apis/apps/v1/namespaces/apis/deployments/statusmeta';
    await http(c, 'POST', '/apis/apps/v1/namespaces/apis/deployments', deployment('statusmeta', 'example/app:1', 1));
    const before = await get(path);
    // Read, change, PUT, again on a conflict (the controller writes the status meanwhile): what
    // clients do (client-go's RetryOnConflict).
    const putStatus = async (change: (o: Record<string, unknown>, meta: Record<string, unknown>) => Record<string, unknown>): Promise<number> => {
      for (let attempt = 0; ; attempt++) {
        const current = await get(path);
        const res = await http(c, 'PUT', `${path}/status`, change(current, current['metadata'] as Record<string, unknown>));
        if (res.status !== 409 || attempt >= 20) return res.status;
      }
    };
    expect(
      await putStatus((o, meta) => ({
        ...o,
        metadata: { ...meta, labels: { changed: 'yes' }, annotations: { ...((meta['annotations'] as Record<string, string> | undefined) ?? {}), 'example.com/note': 'from status' } },
        spec: { ...(o['spec'] as Record<string, unknown>), replicas: 5 },
      })),
    ).toBe(200);
    const after = await get(path);
    expect((at(after, 'metadata.annotations') as Record<string, string>)['example.com/note']).toBe('from status');
    expect(at(after, 'metadata.labels')).toEqual(at(before, 'metadata.labels'));
    expect(at(after, 'spec.replicas')).toBe(1);
    // An invalid annotation key is refused there as in any update.
    expect(await putStatus((o, meta) => ({ ...o, metadata: { ...meta, annotations: { 'not a key': 'x' } } }))).toBe(422);
  });

  it('HPA v2 defaults metrics and completes a partial behavior; conditions carry no lastUpdateTime', async () => {
    await http(c, 'POST', '/apis/apps/v1/namespaces/apis/deployments', deployment('auto', 'example/app', 1));
    const made = await http(c, 'POST', '/apis/autoscaling/v2/namespaces/apis/horizontalpodautoscalers', {
      metadata: { name: 'auto' },
      spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'auto' }, maxReplicas: 3, behavior: { scaleDown: { stabilizationWindowSeconds: 60 } } },
    });
    expect(at(made.body, 'spec.metrics')).toEqual([{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }]);
    expect(at(made.body, 'spec.minReplicas')).toBe(1);
    expect(at(made.body, 'spec.behavior')).toEqual({
      scaleUp: { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Pods', value: 4, periodSeconds: 15 }, { type: 'Percent', value: 100, periodSeconds: 15 }] },
      scaleDown: { stabilizationWindowSeconds: 60, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] },
    });
    const hpa = await waitFor(async () => {
      const o = await get('/apis/autoscaling/v2/namespaces/apis/horizontalpodautoscalers/auto');
      return condition(o, 'ScalingActive') ? o : undefined;
    }, 'hpa status');
    for (const cnd of at(hpa, 'status.conditions') as Record<string, unknown>[]) expect(Object.keys(cnd).sort()).toEqual(['lastTransitionTime', 'message', 'reason', 'status', 'type']);
  });
});
