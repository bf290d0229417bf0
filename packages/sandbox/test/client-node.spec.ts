import { ApiException, AppsV1Api, CoreV1Api, KubeConfig, KubernetesObjectApi, PatchStrategy, Watch, type V1ConfigMap, type V1Deployment } from '@kubernetes/client-node';
import type { SandboxCluster } from '../src/index.js';
import { fastCluster, waitFor } from './helpers.js';

/** @kubernetes/client-node 1.4, unchanged, against the sandbox. */
let c: SandboxCluster;
let kc: KubeConfig;

beforeAll(async () => {
  c = await fastCluster({ name: 'client-node', token: 'client-node-token' });
  kc = new KubeConfig();
  kc.loadFromString(c.kubeconfig);
});
afterAll(() => c.stop());

const deployment = (name: string, image: string): V1Deployment => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: 'lib' },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'app', image }] } },
  },
});

it('CoreV1Api and AppsV1Api: create, read, list, and typed errors', async () => {
  const core = kc.makeApiClient(CoreV1Api);
  const apps = kc.makeApiClient(AppsV1Api);
  const ns = await core.createNamespace({ body: { metadata: { name: 'lib' } } });
  expect(ns.metadata?.uid).toBeTruthy();
  const created = await apps.createNamespacedDeployment({ namespace: 'lib', body: deployment('api', 'nginx:1.27') });
  expect(created.metadata?.generation).toBe(1);
  const ready = await waitFor(async () => {
    const d = await apps.readNamespacedDeployment({ name: 'api', namespace: 'lib' });
    return d.status?.availableReplicas === 2 ? d : undefined;
  }, 'deployment available');
  expect(ready.status?.conditions?.map((x) => x.type)).toEqual(['Available', 'Progressing']);
  const pods = await core.listNamespacedPod({ namespace: 'lib', labelSelector: 'app=api' });
  expect(pods.items).toHaveLength(2);
  expect(pods.items[0]?.status?.phase).toBe('Running');
  try {
    await core.readNamespacedConfigMap({ name: 'missing', namespace: 'lib' });
    throw new Error('expected a 404');
  } catch (e) {
    expect(e).toBeInstanceOf(ApiException);
    expect((e as ApiException<string>).code).toBe(404);
  }
  try {
    await core.createNamespacedConfigMap({ namespace: 'lib', body: { metadata: { name: 'NOT valid' } } });
    throw new Error('expected a 422');
  } catch (e) {
    expect((e as ApiException<string>).code).toBe(422);
    expect(String((e as ApiException<string>).body)).toContain('metadata.name');
  }
});

it('KubernetesObjectApi.patch with server-side apply creates, updates and conflicts', async () => {
  const client = KubernetesObjectApi.makeApiClient(kc);
  const spec: V1ConfigMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'ssa', namespace: 'lib' }, data: { a: '1' } };
  const created = await client.patch(spec, undefined, undefined, 'berth', undefined, PatchStrategy.ServerSideApply);
  expect(created.metadata?.managedFields?.[0]?.manager).toBe('berth');
  const updated = await client.patch({ ...spec, data: { a: '2', b: '3' } }, undefined, undefined, 'berth', undefined, PatchStrategy.ServerSideApply);
  expect(updated.data).toEqual({ a: '2', b: '3' });
  const same = await client.patch({ ...spec, data: { a: '2', b: '3' } }, undefined, undefined, 'berth', undefined, PatchStrategy.ServerSideApply);
  expect(same.metadata?.resourceVersion).toBe(updated.metadata?.resourceVersion);
  await expect(client.patch({ ...spec, data: { a: 'x' } }, undefined, undefined, 'someone-else', undefined, PatchStrategy.ServerSideApply)).rejects.toMatchObject({ code: 409 });
  const forced = await client.patch({ ...spec, data: { a: 'x' } }, undefined, undefined, 'someone-else', true, PatchStrategy.ServerSideApply);
  expect(forced.data?.['a']).toBe('x');
  const read = await client.read({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'ssa', namespace: 'lib' } });
  expect(read.metadata?.uid).toBe(created.metadata?.uid);
});

it('Watch streams events for a resource', async () => {
  const core = kc.makeApiClient(CoreV1Api);
  const list = await core.listNamespacedConfigMap({ namespace: 'lib' });
  const seen: string[] = [];
  const watch = new Watch(kc);
  let ended = false;
  const ctrl = await watch.watch(
    '/api/v1/namespaces/lib/configmaps',
    { resourceVersion: list.metadata?.resourceVersion, allowWatchBookmarks: true },
    (phase, obj: V1ConfigMap) => seen.push(`${phase} ${obj.metadata?.name ?? ''}`),
    () => {
      ended = true;
    },
  );
  await core.createNamespacedConfigMap({ namespace: 'lib', body: { metadata: { name: 'watched' }, data: { x: '1' } } });
  await core.deleteNamespacedConfigMap({ name: 'watched', namespace: 'lib' });
  await waitFor(() => seen.includes('DELETED watched'), 'watch events');
  expect(seen.filter((s) => s.endsWith(' watched'))).toEqual(['ADDED watched', 'DELETED watched']);
  ctrl.abort();
  await waitFor(() => ended, 'watch done callback');
});
