import type { SandboxCluster } from '../src/index.js';
import { at, deployment, fastCluster, http, items, waitFor } from './helpers.js';

let c: SandboxCluster;
const NS = '/api/v1/namespaces';

beforeAll(async () => {
  c = await fastCluster({ name: 'controllers' });
});
afterAll(() => c.stop());

async function namespace(name: string): Promise<void> {
  expect((await http(c, 'POST', NS, { metadata: { name } })).status).toBe(201);
}
const get = async (path: string): Promise<Record<string, unknown>> => (await http(c, 'GET', path)).body;
const condition = (obj: unknown, type: string): Record<string, unknown> | undefined =>
  ((at(obj, 'status.conditions') as Record<string, unknown>[] | undefined) ?? []).find((x) => x['type'] === type);

describe('deployments', () => {
  beforeAll(() => namespace('rollouts'));
  const D = '/apis/apps/v1/namespaces/rollouts/deployments';

  it('create ReplicaSets and pods, and report a completed rollout', async () => {
    await http(c, 'POST', D, deployment('web', 'nginx:1.27', 3));
    const d = await waitFor(async () => {
      const o = await get(`${D}/web`);
      return at(o, 'status.availableReplicas') === 3 && condition(o, 'Progressing')?.['reason'] === 'NewReplicaSetAvailable' ? o : undefined;
    }, 'rollout complete');
    expect(d['status']).toMatchObject({ replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3, observedGeneration: 1 });
    expect(condition(d, 'Available')).toMatchObject({ status: 'True', reason: 'MinimumReplicasAvailable' });
    const rs = items(await get('/apis/apps/v1/namespaces/rollouts/replicasets'));
    expect(rs).toHaveLength(1);
    expect(at(rs[0], 'metadata.annotations')).toMatchObject({ 'deployment.kubernetes.io/revision': '1' });
    const hash = at(rs[0], 'metadata.labels.pod-template-hash');
    expect(hash).toMatch(/^[a-z0-9]+$/);
    expect(at(rs[0], 'metadata.ownerReferences.0')).toMatchObject({ kind: 'Deployment', name: 'web', controller: true });
    const pods = items(await get(`${NS}/rollouts/pods?labelSelector=pod-template-hash%3D${String(hash)}`));
    expect(pods).toHaveLength(3);
    for (const p of pods) {
      expect(at(p, 'status.phase')).toBe('Running');
      expect(at(p, 'status.podIP')).toMatch(/^10\.244\./);
      expect(condition(p, 'Ready')).toMatchObject({ status: 'True' });
      expect(at(p, 'status.containerStatuses.0')).toMatchObject({ name: 'app', ready: true, restartCount: 0 });
    }
    const events = items(await get(`${NS}/rollouts/events?fieldSelector=involvedObject.name%3Dweb`));
    expect(events.map((e) => e['reason'])).toContain('ScalingReplicaSet');
  });

  it('roll out a new template to a second ReplicaSet with revision 2', async () => {
    await http(c, 'PATCH', `${D}/web`, { spec: { template: { spec: { containers: [{ name: 'app', image: 'nginx:1.28' }] } } } }, 'application/strategic-merge-patch+json');
    await waitFor(async () => {
      const o = await get(`${D}/web`);
      return at(o, 'status.observedGeneration') === 2 && at(o, 'status.updatedReplicas') === 3 && at(o, 'status.availableReplicas') === 3 && at(o, 'status.replicas') === 3;
    }, 'second rollout');
    const rs = items(await get('/apis/apps/v1/namespaces/rollouts/replicasets'));
    expect(rs).toHaveLength(2);
    const byRev = Object.fromEntries(rs.map((r) => [(r['metadata'] as { annotations: Record<string, string> }).annotations['deployment.kubernetes.io/revision'], at(r, 'spec.replicas')]));
    expect(byRev).toEqual({ '1': 0, '2': 3 });
  });

  it('scale through the /scale subresource', async () => {
    const scale = await http(c, 'PATCH', `${D}/web/scale`, { spec: { replicas: 1 } }, 'application/merge-patch+json');
    expect(scale.body).toMatchObject({ kind: 'Scale', apiVersion: 'autoscaling/v1', spec: { replicas: 1 } });
    await waitFor(async () => items(await get(`${NS}/rollouts/pods?labelSelector=app%3Dweb`)).length === 1, 'scaled down to 1 pod');
    const got = await get(`${D}/web/scale`);
    expect(got).toMatchObject({ spec: { replicas: 1 }, status: { selector: 'app=web' } });
  });

  it('fail to progress with an image that cannot be pulled', async () => {
    await http(c, 'POST', D, deployment('broken', 'registry.example/fail-pull:1', 2));
    const d = await waitFor(async () => {
      const o = await get(`${D}/broken`);
      return condition(o, 'Progressing')?.['reason'] === 'ProgressDeadlineExceeded' ? o : undefined;
    }, 'progress deadline');
    expect(condition(d, 'Progressing')).toMatchObject({ status: 'False', message: expect.stringContaining('has timed out progressing') });
    expect(condition(d, 'Available')).toMatchObject({ status: 'False', reason: 'MinimumReplicasUnavailable' });
    const pod = items(await get(`${NS}/rollouts/pods?labelSelector=app%3Dbroken`))[0];
    expect(['ErrImagePull', 'ImagePullBackOff']).toContain(at(pod, 'status.containerStatuses.0.state.waiting.reason'));
    expect(at(pod, 'status.phase')).toBe('Pending');
    const events = items(await get(`${NS}/rollouts/events?fieldSelector=involvedObject.name%3D${String(at(pod, 'metadata.name'))}`));
    expect(events.map((e) => e['reason'])).toEqual(expect.arrayContaining(['Scheduled', 'Failed']));
  });

  it('crash-loop pods whose image name contains "crash", with restartCount rising', async () => {
    await http(c, 'POST', D, deployment('crashy', 'example/crash-app:1', 1));
    const backoffRestarts: number[] = [];
    const pod = await waitFor(async () => {
      const p = items(await get(`${NS}/rollouts/pods?labelSelector=app%3Dcrashy`))[0];
      const restarts = Number(at(p, 'status.containerStatuses.0.restartCount') ?? 0);
      if (at(p, 'status.containerStatuses.0.state.waiting.reason') === 'CrashLoopBackOff') backoffRestarts.push(restarts);
      return restarts >= 2 ? p : undefined;
    }, 'restarts');
    // As the kubelet: the first exit is restarted at once, so a back-off is only ever seen after a restart.
    expect(backoffRestarts.length).toBeGreaterThan(0);
    expect(Math.min(...backoffRestarts)).toBeGreaterThanOrEqual(1);
    expect(at(pod, 'status.containerStatuses.0.state.waiting.reason')).toBe('CrashLoopBackOff');
    expect(at(pod, 'status.containerStatuses.0.lastState.terminated.exitCode')).toBe(1);
    expect(condition(pod, 'Ready')).toMatchObject({ status: 'False', reason: 'ContainersNotReady' });
  });

  it('never make an "oom" container Ready: it is killed for memory while starting, so the rollout never completes', async () => {
    await http(c, 'POST', D, deployment('hungry', 'example/oom:1', 1));
    const seen: unknown[] = [];
    const pod = await waitFor(async () => {
      const p = items(await get(`${NS}/rollouts/pods?labelSelector=app%3Dhungry`))[0];
      seen.push(at(p, 'status.containerStatuses.0.ready'));
      return Number(at(p, 'status.containerStatuses.0.restartCount') ?? 0) >= 2 ? p : undefined;
    }, 'restarts');
    expect(seen).not.toContain(true);
    expect(at(pod, 'status.containerStatuses.0.lastState.terminated')).toMatchObject({ reason: 'OOMKilled', exitCode: 137 });
    expect(at(await get(`${D}/hungry`), 'status.availableReplicas') ?? 0).toBe(0);
  });

  it('restart a "crash-once" container once, then run it Ready with the crash as its last state', async () => {
    await http(c, 'POST', D, deployment('warmup', 'example/crash-once:1', 1));
    const pod = await waitFor(async () => {
      const p = items(await get(`${NS}/rollouts/pods?labelSelector=app%3Dwarmup`))[0];
      return condition(p, 'Ready')?.['status'] === 'True' ? p : undefined;
    }, 'the pod ready after one crash');
    expect(at(pod, 'status.containerStatuses.0.restartCount')).toBe(1);
    expect(at(pod, 'status.containerStatuses.0.state.running')).toBeDefined();
    expect(at(pod, 'status.containerStatuses.0.lastState.terminated')).toMatchObject({ exitCode: 1, reason: 'Error' });
    const d = await waitFor(async () => {
      const o = await get(`${D}/warmup`);
      return at(o, 'status.availableReplicas') === 1 ? o : undefined;
    }, 'the rollout to complete');
    expect(condition(d, 'Available')).toMatchObject({ status: 'True' });
  });
});

describe('resource quotas and limit ranges', () => {
  beforeAll(() => namespace('quota'));

  it('default container resources from a LimitRange', async () => {
    await http(c, 'POST', `${NS}/quota/limitranges`, {
      metadata: { name: 'defaults' },
      spec: { limits: [{ type: 'Container', default: { cpu: '500m', memory: '256Mi' }, defaultRequest: { cpu: '100m', memory: '128Mi' } }] },
    });
    const pod = await http(c, 'POST', `${NS}/quota/pods`, { metadata: { name: 'lr' }, spec: { containers: [{ name: 'a', image: 'nginx' }] } });
    expect(at(pod.body, 'spec.containers.0.resources')).toEqual({ limits: { cpu: '500m', memory: '256Mi' }, requests: { cpu: '100m', memory: '128Mi' } });
    await http(c, 'DELETE', `${NS}/quota/pods/lr`);
  });

  it('reject pods beyond the quota; the ReplicaSet records FailedCreate and ReplicaFailure', async () => {
    await http(c, 'POST', `${NS}/quota/resourcequotas`, { metadata: { name: 'small' }, spec: { hard: { pods: '2', 'requests.cpu': '1', 'count/deployments.apps': '5' } } });
    const q = await waitFor(async () => {
      const o = await get(`${NS}/quota/resourcequotas/small`);
      return at(o, 'status.used.pods') === '0' ? o : undefined;
    }, 'quota status');
    expect(at(q, 'status.hard')).toEqual({ pods: '2', 'requests.cpu': '1', 'count/deployments.apps': '5' });
    await http(c, 'POST', '/apis/apps/v1/namespaces/quota/deployments', deployment('big', 'nginx:1', 3));
    const d = await waitFor(async () => {
      const o = await get('/apis/apps/v1/namespaces/quota/deployments/big');
      return condition(o, 'ReplicaFailure') ? o : undefined;
    }, 'ReplicaFailure on the deployment');
    expect(condition(d, 'ReplicaFailure')).toMatchObject({ status: 'True', reason: 'FailedCreate', message: expect.stringContaining('exceeded quota: small') });
    expect(items(await get(`${NS}/quota/pods`))).toHaveLength(2);
    const events = items(await get(`${NS}/quota/events?fieldSelector=reason%3DFailedCreate`));
    expect(String(events[0]?.['message'])).toMatch(/^Error creating: pods ".*" is forbidden: exceeded quota: small, requested: pods=1, used: pods=2, limited: pods=2$/);
    await waitFor(async () => at(await get(`${NS}/quota/resourcequotas/small`), 'status.used') !== undefined && at(await get(`${NS}/quota/resourcequotas/small`), 'status.used.pods') === '2', 'used pods = 2');
    const used = at(await get(`${NS}/quota/resourcequotas/small`), 'status.used');
    expect(used).toEqual({ pods: '2', 'requests.cpu': '200m', 'count/deployments.apps': '1' });
    const direct = await http(c, 'POST', `${NS}/quota/pods`, { metadata: { name: 'extra' }, spec: { containers: [{ name: 'a', image: 'nginx' }] } });
    expect(direct.status).toBe(403);
    expect(direct.body).toMatchObject({ reason: 'Forbidden', code: 403 });
    // A deletion gives back what the quota counted.
    await http(c, 'DELETE', '/apis/apps/v1/namespaces/quota/deployments/big');
    await waitFor(async () => ((at(await get(`${NS}/quota/resourcequotas/small`), 'status.used') as Record<string, string>)['count/deployments.apps'] === '0' ? true : undefined), 'used deployments = 0');
  });
});

describe('horizontal pod autoscaler', () => {
  beforeAll(() => namespace('hpa'));

  it('scales the target within min/max from the simulated CPU utilisation and reports status', async () => {
    const dep = deployment('auto', 'nginx:1', 2);
    (dep['metadata'] as Record<string, unknown>)['annotations'] = { 'sandbox.berth.dev/cpu-utilization': '240' };
    await http(c, 'POST', '/apis/apps/v1/namespaces/hpa/deployments', dep);
    await http(c, 'POST', '/apis/autoscaling/v2/namespaces/hpa/horizontalpodautoscalers', {
      metadata: { name: 'auto' },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'auto' },
        minReplicas: 2,
        maxReplicas: 5,
        metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }],
      },
    });
    const hpa = await waitFor(async () => {
      const o = await get('/apis/autoscaling/v2/namespaces/hpa/horizontalpodautoscalers/auto');
      return at(o, 'status.currentReplicas') === 5 ? o : undefined;
    }, 'hpa at max');
    expect(at(hpa, 'status.desiredReplicas')).toBe(5);
    expect(at(hpa, 'status.currentMetrics.0.resource.current.averageUtilization')).toBe(240);
    expect(condition(hpa, 'ScalingLimited')).toMatchObject({ status: 'True', reason: 'TooManyReplicas' });
    expect(at(await get('/apis/apps/v1/namespaces/hpa/deployments/auto'), 'spec.replicas')).toBe(5);
  });
});

describe('pod logs', () => {
  beforeAll(() => namespace('logs'));

  it('return simulated lines, honour tailLines and container, and stream with follow', async () => {
    await http(c, 'POST', `${NS}/logs/pods`, { metadata: { name: 'two' }, spec: { containers: [{ name: 'a', image: 'nginx' }, { name: 'b', image: 'redis' }] } });
    await waitFor(async () => condition(await get(`${NS}/logs/pods/two`), 'Ready')?.['status'] === 'True', 'pod ready');
    const noContainer = await http(c, 'GET', `${NS}/logs/pods/two/log`);
    expect(noContainer.status).toBe(400);
    expect(noContainer.body['message']).toBe('a container name must be specified for pod two, choose one of: [a b]');
    const tail = await http(c, 'GET', `${NS}/logs/pods/two/log?container=b&tailLines=2`);
    expect(tail.status).toBe(200);
    expect(tail.text.trim().split('\n')).toHaveLength(2);
    const ctrl = new AbortController();
    const res = await fetch(`${c.url}${NS}/logs/pods/two/log?container=a&follow=true&tailLines=0`, { signal: ctrl.signal });
    const reader = res.body!.getReader();
    let text = '';
    while (text.split('\n').length < 4) text += new TextDecoder().decode((await reader.read()).value);
    ctrl.abort();
    expect(text).toContain('request_id=a-');
  });
});
