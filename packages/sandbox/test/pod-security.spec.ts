import type { SandboxCluster } from '../src/index.js';
import { at, deployment, fastCluster, http, items, kubectl, waitFor } from './helpers.js';

/** Pod Security admission, the simulated kubelet's image behaviours and the scheduler's fit check. */
let c: SandboxCluster;
const NS = '/api/v1/namespaces';

beforeAll(async () => {
  c = await fastCluster({ name: 'pod-security' });
});
afterAll(() => c.stop());

const get = async (path: string): Promise<Record<string, unknown>> => (await http(c, 'GET', path)).body;
const condition = (obj: unknown, type: string): Record<string, unknown> | undefined =>
  ((at(obj, 'status.conditions') as Record<string, unknown>[] | undefined) ?? []).find((x) => x['type'] === type);
const pod = (name: string, spec: Record<string, unknown>): Record<string, unknown> => ({ metadata: { name }, spec });

const RESTRICTED_MSG =
  'violates PodSecurity "restricted:latest": allowPrivilegeEscalation != false (container "app" must set securityContext.allowPrivilegeEscalation=false), unrestricted capabilities (container "app" must set securityContext.capabilities.drop=["ALL"]), runAsNonRoot != true (pod or container "app" must set securityContext.runAsNonRoot=true), seccompProfile (pod or container "app" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")';

describe('Pod Security admission', () => {
  beforeAll(async () => {
    const made = await kubectl(c, ['create', 'namespace', 'locked']);
    expect(made.code).toBe(0);
    const labelled = await kubectl(c, ['label', 'namespace', 'locked', 'pod-security.kubernetes.io/enforce=restricted', 'pod-security.kubernetes.io/warn=restricted']);
    expect(labelled.code).toBe(0);
    await kubectl(c, ['create', 'namespace', 'base']);
    await kubectl(c, ['label', 'namespace', 'base', 'pod-security.kubernetes.io/enforce=baseline', 'pod-security.kubernetes.io/enforce-version=v1.32', 'pod-security.kubernetes.io/warn=restricted']);
  });

  it('enforce=restricted rejects a plain pod with the real 403 message (kubectl run)', async () => {
    const run = await kubectl(c, ['-n', 'locked', 'run', 'plain', '--image=nginx:1.27']);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain(`Error from server (Forbidden): pods "plain" is forbidden: ${RESTRICTED_MSG.replaceAll('"app"', '"plain"')}`);
    const direct = await http(c, 'POST', `${NS}/locked/pods`, pod('plain', { containers: [{ name: 'app', image: 'nginx:1.27' }] }));
    expect(direct.status).toBe(403);
    expect(direct.body).toMatchObject({ reason: 'Forbidden', code: 403, message: `pods "plain" is forbidden: ${RESTRICTED_MSG}` });
  });

  it('baseline rejects privileged, host namespaces, hostPath and host ports, naming each', async () => {
    const res = await http(
      c,
      'POST',
      `${NS}/base/pods`,
      pod('root', {
        hostNetwork: true,
        hostPID: true,
        volumes: [{ name: 'host', hostPath: { path: '/' } }],
        containers: [{ name: 'app', image: 'nginx', securityContext: { privileged: true, capabilities: { add: ['SYS_ADMIN'] } }, ports: [{ containerPort: 80, hostPort: 80 }] }],
      }),
    );
    expect(res.status).toBe(403);
    expect(res.body['message']).toBe(
      'pods "root" is forbidden: violates PodSecurity "baseline:v1.32": non-default capabilities (container "app" must not include "SYS_ADMIN" in securityContext.capabilities.add), host namespaces (hostNetwork=true, hostPID=true), hostPath volumes (volume "host"), hostPort (container "app" uses hostPort 80), privileged (container "app" must not set securityContext.privileged=true)',
    );
  });

  it('warn mode admits with a Warning header; a compliant pod passes silently', async () => {
    const res = await http(c, 'POST', `${NS}/base/pods`, pod('warned', { containers: [{ name: 'app', image: 'example/app:1' }] }));
    expect(res.status).toBe(201);
    expect(res.headers.get('warning')).toContain('299 - "would violate PodSecurity \\"restricted:latest\\": allowPrivilegeEscalation != false');
    const ok = await http(
      c,
      'POST',
      `${NS}/locked/pods`,
      pod('compliant', {
        securityContext: { runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: 'RuntimeDefault' } },
        containers: [{ name: 'app', image: 'example/app:1', securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } }],
      }),
    );
    expect(ok.status).toBe(201);
    expect(ok.headers.get('warning')).toBeNull();
  });

  it('invalid level labels are refused with 422', async () => {
    const res = await http(c, 'POST', NS, { metadata: { name: 'bad-level', labels: { 'pod-security.kubernetes.io/enforce': 'strict' } } });
    expect(res.status).toBe(422);
    expect(JSON.stringify(res.body)).toContain('metadata.labels[pod-security.kubernetes.io/enforce]');
  });

  it('a Deployment is admitted with a warning, its pods are refused: FailedCreate event and ReplicaFailure', async () => {
    const applied = await kubectl(c, ['-n', 'locked', 'create', 'deployment', 'web', '--image=nginx:1.27']);
    expect(applied.code).toBe(0);
    expect(applied.stderr).toContain('Warning: would violate PodSecurity "restricted:latest": allowPrivilegeEscalation != false');
    const rs = await waitFor(async () => {
      const list = items(await get('/apis/apps/v1/namespaces/locked/replicasets'));
      return list.find((r) => condition(r, 'ReplicaFailure'));
    }, 'ReplicaFailure on the ReplicaSet');
    expect(condition(rs, 'ReplicaFailure')).toMatchObject({ status: 'True', reason: 'FailedCreate', message: expect.stringMatching(/^pods "web-[a-z0-9]+-[a-z0-9]+" is forbidden: violates PodSecurity "restricted:latest": /) });
    const events = items(await get(`${NS}/locked/events?fieldSelector=reason%3DFailedCreate`));
    expect(String(events[0]?.['message'])).toMatch(/^Error creating: pods "web-.*" is forbidden: violates PodSecurity "restricted:latest": allowPrivilegeEscalation != false/);
    expect(at(events[0], 'source.component')).toBe('replicaset-controller');
    await waitFor(async () => condition(await get('/apis/apps/v1/namespaces/locked/deployments/web'), 'ReplicaFailure'), 'ReplicaFailure on the Deployment');
    expect(items(await get(`${NS}/locked/pods?labelSelector=app%3Dweb`))).toHaveLength(0);
  });

  it('a Job in an enforcing namespace records FailedCreate from the job controller', async () => {
    const made = await kubectl(c, ['-n', 'locked', 'create', 'job', 'task', '--image=example/task']);
    expect(made.code).toBe(0);
    expect(made.stderr).toContain('Warning: would violate PodSecurity "restricted:latest"');
    const ev = await waitFor(async () => items(await get(`${NS}/locked/events?fieldSelector=involvedObject.name%3Dtask,reason%3DFailedCreate`))[0], 'FailedCreate on the Job');
    expect(ev).toMatchObject({ type: 'Warning', source: { component: 'job-controller' }, message: expect.stringMatching(/^Error creating: pods "task-[a-z0-9]+" is forbidden: violates PodSecurity "restricted:latest": /) });
  });

  it('LimitRange rejections of controller-made pods surface as FailedCreate and ReplicaFailure too', async () => {
    await http(c, 'POST', NS, { metadata: { name: 'limited' } });
    await http(c, 'POST', `${NS}/limited/limitranges`, { metadata: { name: 'max' }, spec: { limits: [{ type: 'Container', max: { cpu: '500m' } }] } });
    const dep = deployment('greedy', 'example/app', 1);
    (at(dep, 'spec.template.spec.containers.0') as Record<string, unknown>)['resources'] = { limits: { cpu: '2' } };
    await http(c, 'POST', '/apis/apps/v1/namespaces/limited/deployments', dep);
    const d = await waitFor(async () => {
      const o = await get('/apis/apps/v1/namespaces/limited/deployments/greedy');
      return condition(o, 'ReplicaFailure') ? o : undefined;
    }, 'ReplicaFailure');
    expect(String(condition(d, 'ReplicaFailure')?.['message'])).toContain('is forbidden: maximum cpu usage per Container is 500m, but limit is 2');
    const ev = items(await get(`${NS}/limited/events?fieldSelector=reason%3DFailedCreate`))[0];
    expect(String(ev?.['message'])).toMatch(/^Error creating: pods "greedy-.*" is forbidden: maximum cpu usage per Container is 500m, but limit is 2/);
  });

  it('tightening a namespace warns about existing violating pods', async () => {
    await kubectl(c, ['create', 'namespace', 'later']);
    await http(c, 'POST', `${NS}/later/pods`, pod('priv', { containers: [{ name: 'app', image: 'example/app', securityContext: { privileged: true } }] }));
    const out = await kubectl(c, ['label', 'namespace', 'later', 'pod-security.kubernetes.io/enforce=baseline']);
    expect(out.code).toBe(0);
    expect(out.stderr).toContain('Warning: existing pods in namespace "later" violate the new PodSecurity enforce level "baseline:latest"');
    expect(out.stderr).toContain('Warning: priv: privileged');
  });
});

describe('the simulated kubelet', () => {
  beforeAll(() => http(c, 'POST', NS, { metadata: { name: 'node' } }));

  it('refuses a root image under runAsNonRoot with CreateContainerConfigError and the real message', async () => {
    const created = await http(c, 'POST', `${NS}/node/pods`, pod('rooty', { securityContext: { runAsNonRoot: true }, containers: [{ name: 'web', image: 'docker.io/library/nginx:1.27' }] }));
    const uid = String(at(created.body, 'metadata.uid'));
    const p = await waitFor(async () => {
      const o = await get(`${NS}/node/pods/rooty`);
      return at(o, 'status.containerStatuses.0.state.waiting.reason') === 'CreateContainerConfigError' ? o : undefined;
    }, 'CreateContainerConfigError');
    expect(at(p, 'status.containerStatuses.0.state.waiting.message')).toBe(`container has runAsNonRoot and image will run as root (pod: "rooty_node(${uid})", container: web)`);
    expect(at(p, 'status.phase')).toBe('Pending');
    const events = items(await get(`${NS}/node/events?fieldSelector=involvedObject.name%3Drooty,reason%3DFailed`));
    expect(String(events[0]?.['message'])).toBe(`Error: container has runAsNonRoot and image will run as root (pod: "rooty_node(${uid})", container: web)`);
    const table = await kubectl(c, ['-n', 'node', 'get', 'pod', 'rooty']);
    expect(table.stdout).toMatch(/\nrooty\s+0\/1\s+CreateContainerConfigError\s+0\s+/);
  });

  it('starts the same image with an explicit non-root runAsUser, and a non-root image without one', async () => {
    await http(c, 'POST', `${NS}/node/pods`, pod('user1000', { securityContext: { runAsNonRoot: true }, containers: [{ name: 'web', image: 'nginx:1.27', securityContext: { runAsUser: 1000 } }] }));
    await http(c, 'POST', `${NS}/node/pods`, pod('nonroot', { securityContext: { runAsNonRoot: true }, containers: [{ name: 'web', image: 'bitnami/nginx:1.27' }] }));
    for (const name of ['user1000', 'nonroot']) await waitFor(async () => condition(await get(`${NS}/node/pods/${name}`), 'Ready')?.['status'] === 'True', `${name} ready`);
    await http(c, 'POST', `${NS}/node/pods`, pod('marked', { securityContext: { runAsNonRoot: true }, containers: [{ name: 'web', image: 'registry.example/team/app-runs-as-root:2' }] }));
    await waitFor(async () => at(await get(`${NS}/node/pods/marked`), 'status.containerStatuses.0.state.waiting.reason') === 'CreateContainerConfigError', 'runs-as-root refused');
  });

  it('OOM-kills an image named oom: exit 137, restarts into CrashLoopBackOff', async () => {
    await http(c, 'POST', `${NS}/node/pods`, pod('hungry', { containers: [{ name: 'app', image: 'example/oom:1' }] }));
    const p = await waitFor(async () => {
      const o = await get(`${NS}/node/pods/hungry`);
      return Number(at(o, 'status.containerStatuses.0.restartCount') ?? 0) >= 1 && at(o, 'status.containerStatuses.0.state.waiting.reason') === 'CrashLoopBackOff' ? o : undefined;
    }, 'OOM crash loop');
    expect(at(p, 'status.containerStatuses.0.lastState.terminated')).toMatchObject({ reason: 'OOMKilled', exitCode: 137 });
    expect(at(p, 'status.phase')).toBe('Running');
  });

  it('runs exit-<n> images to a Failed pod under restartPolicy Never', async () => {
    await http(c, 'POST', `${NS}/node/pods`, pod('exit3', { restartPolicy: 'Never', containers: [{ name: 'app', image: 'example/exit-3' }] }));
    const p = await waitFor(async () => {
      const o = await get(`${NS}/node/pods/exit3`);
      return at(o, 'status.phase') === 'Failed' ? o : undefined;
    }, 'Failed pod');
    expect(at(p, 'status.containerStatuses.0.state.terminated')).toMatchObject({ exitCode: 3, reason: 'Error' });
    expect(condition(p, 'Ready')).toMatchObject({ status: 'False', reason: 'PodCompleted' });
  });

  it('leaves a pod asking for more than the node has Pending: Unschedulable, FailedScheduling', async () => {
    await http(c, 'POST', `${NS}/node/pods`, pod('huge', { containers: [{ name: 'app', image: 'example/app', resources: { requests: { cpu: '64', memory: '1Gi' } } }] }));
    const p = await waitFor(async () => {
      const o = await get(`${NS}/node/pods/huge`);
      return condition(o, 'PodScheduled')?.['reason'] === 'Unschedulable' ? o : undefined;
    }, 'Unschedulable');
    const msg = '0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.';
    expect(condition(p, 'PodScheduled')).toMatchObject({ status: 'False', message: msg });
    expect(at(p, 'status.phase')).toBe('Pending');
    expect(at(p, 'spec.nodeName')).toBeUndefined();
    const events = items(await get(`${NS}/node/events?fieldSelector=involvedObject.name%3Dhuge,reason%3DFailedScheduling`));
    expect(events[0]).toMatchObject({ type: 'Warning', message: msg });
  });

  it('schedules a waiting pod once capacity frees up', async () => {
    const big = (name: string, cpu: string): Record<string, unknown> => pod(name, { containers: [{ name: 'app', image: 'example/app', resources: { requests: { cpu } } }] });
    await http(c, 'POST', `${NS}/node/pods`, big('first', '6'));
    await waitFor(async () => at(await get(`${NS}/node/pods/first`), 'spec.nodeName') === 'sandbox-node', 'first scheduled');
    await http(c, 'POST', `${NS}/node/pods`, big('second', '4'));
    await waitFor(async () => condition(await get(`${NS}/node/pods/second`), 'PodScheduled')?.['reason'] === 'Unschedulable', 'second waits');
    await http(c, 'DELETE', `${NS}/node/pods/first`);
    await waitFor(async () => condition(await get(`${NS}/node/pods/second`), 'Ready')?.['status'] === 'True', 'second runs');
  });

  it('-o wide prints IP, NODE, NOMINATED NODE, READINESS GATES for pods and CONTAINERS, IMAGES, SELECTOR for ReplicaSets', async () => {
    await http(c, 'POST', '/apis/apps/v1/namespaces/node/deployments', deployment('wide', 'example/app:1', 1));
    await waitFor(async () => (await kubectl(c, ['-n', 'node', 'get', 'pods', '-l', 'app=wide', '-o', 'wide'])).stdout.includes('sandbox-node'), 'wide pod');
    const pods = await kubectl(c, ['-n', 'node', 'get', 'pods', '-l', 'app=wide', '-o', 'wide']);
    expect(pods.stdout).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE\s+NOMINATED NODE\s+READINESS GATES\n/);
    expect(pods.stdout).toMatch(/\nwide-\S+\s+1\/1\s+Running\s+0\s+\S+\s+10\.244\.\S+\s+sandbox-node\s+<none>\s+<none>\n/);
    const rs = await kubectl(c, ['-n', 'node', 'get', 'rs', '-o', 'wide']);
    expect(rs.stdout).toMatch(/^NAME\s+DESIRED\s+CURRENT\s+READY\s+AGE\s+CONTAINERS\s+IMAGES\s+SELECTOR\n/);
    expect(rs.stdout).toMatch(/\nwide-\S+\s+1\s+1\s+1\s+\S+\s+app\s+example\/app:1\s+app=wide,pod-template-hash=\S+\n/);
  });
});
