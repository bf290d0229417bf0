import { spawn } from 'node:child_process';
import type { SandboxCluster } from '../src/index.js';
import { at, fastCluster, http, kubectl, waitFor } from './helpers.js';

/** The real kubectl v1.32 against the sandbox: what it prints is what a user would see. */
let c: SandboxCluster;

beforeAll(async () => {
  c = await fastCluster({ name: 'kubectl-e2e' });
});
afterAll(() => c.stop());

const web = (image: string, replicas = 2, env = '1'): string => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {app: web}
spec:
  replicas: ${replicas}
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: app
        image: ${image}
        ports: [{containerPort: 80}]
        env: [{name: MODE, value: "${env}"}]
`;

it('apply -f creates, a second apply configures the changed field, get -o json shows it', async () => {
  const first = await kubectl(c, ['apply', '-f', '-'], web('nginx:1.27'));
  expect(first.stderr).toBe('');
  expect(first.stdout.trim()).toBe('deployment.apps/web created');
  const second = await kubectl(c, ['apply', '-f', '-'], web('nginx:1.28', 2, '2'));
  expect(second.stdout.trim()).toBe('deployment.apps/web configured');
  const unchanged = await kubectl(c, ['apply', '-f', '-'], web('nginx:1.28', 2, '2'));
  expect(unchanged.stdout.trim()).toBe('deployment.apps/web unchanged');
  const json = await kubectl(c, ['get', 'deployment', 'web', '-o', 'json']);
  const obj = JSON.parse(json.stdout) as Record<string, unknown>;
  expect(at(obj, 'spec.template.spec.containers.0.image')).toBe('nginx:1.28');
  expect(at(obj, 'spec.template.spec.containers.0.env')).toEqual([{ name: 'MODE', value: '2' }]);
  expect(at(obj, 'metadata.annotations.kubectl\u002ekubernetes\u002eio/last-applied-configuration')).toBeUndefined();
  expect(JSON.stringify(at(obj, 'metadata.annotations'))).toContain('last-applied-configuration');
  expect(at(obj, 'metadata.generation')).toBe(2);
});

it('rollout status succeeds, and fails with the progress-deadline message for an image that cannot be pulled', async () => {
  const ok = await kubectl(c, ['rollout', 'status', 'deployment/web', '--timeout=30s']);
  expect(ok.code).toBe(0);
  expect(ok.stdout).toContain('deployment "web" successfully rolled out');
  await kubectl(c, ['apply', '-f', '-'], web('registry.example/fail-pull:1'));
  const bad = await kubectl(c, ['rollout', 'status', 'deployment/web', '--timeout=30s']);
  expect(bad.code).not.toBe(0);
  expect(bad.stderr).toContain('error: deployment "web" exceeded its progress deadline');
  await kubectl(c, ['apply', '-f', '-'], web('nginx:1.28', 2, '2'));
  expect((await kubectl(c, ['rollout', 'status', 'deployment/web', '--timeout=30s'])).code).toBe(0);
});

it('get (table), get pods -l, describe, scale and logs print what a real cluster prints', async () => {
  const table = await kubectl(c, ['get', 'deployments']);
  expect(table.stdout).toMatch(/^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\n/);
  expect(table.stdout).toMatch(/\nweb\s+2\/2\s+2\s+2\s+\S+\n/);
  const scaled = await kubectl(c, ['scale', 'deployment/web', '--replicas=3']);
  expect(scaled.stdout.trim()).toBe('deployment.apps/web scaled');
  await waitFor(async () => (await kubectl(c, ['get', 'pods', '-l', 'app=web', '--field-selector=status.phase=Running', '-o', 'name'])).stdout.trim().split('\n').length === 3, '3 running pods');
  const pods = await kubectl(c, ['get', 'pods', '-l', 'app=web']);
  expect(pods.stdout).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\n/);
  expect(pods.stdout.trim().split('\n').slice(1).every((l) => /^web-[a-z0-9]+-[a-z0-9]{5}\s+1\/1\s+Running\s+0\s+/.test(l))).toBe(true);
  expect((await kubectl(c, ['get', 'pods', '-l', 'app=other'])).stderr).toContain('No resources found in default namespace.');
  const describe = await kubectl(c, ['describe', 'deployment', 'web']);
  expect(describe.stdout).toMatch(/Replicas:\s+3 desired \| 3 updated \| 3 total \| 3 available \| 0 unavailable/);
  expect(describe.stdout).toMatch(/Progressing\s+True\s+NewReplicaSetAvailable/);
  expect(describe.stdout).toContain('ScalingReplicaSet');
  const pod = (await kubectl(c, ['get', 'pods', '-l', 'app=web', '-o', 'name'])).stdout.trim().split('\n')[0]!;
  const podDescribe = await kubectl(c, ['describe', pod]);
  expect(podDescribe.stdout).toMatch(/Status:\s+Running/);
  expect(podDescribe.stdout).toContain('Successfully assigned default/');
  const logs = await kubectl(c, ['logs', pod, '--tail=2']);
  expect(logs.code).toBe(0);
  expect(logs.stdout.trim().split('\n')).toHaveLength(2);
  expect(logs.stdout).toContain('request_id=app-');
});

it('get -w prints new objects as they appear', async () => {
  const child = spawn('kubectl', ['--kubeconfig', c.kubeconfigPath, 'get', 'configmaps', '-w']);
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  try {
    await waitFor(() => out.includes('kube-root-ca.crt'), 'initial list');
    await waitFor(async () => {
      // The watch starts right after the list; create until the line shows up to avoid racing it.
      if (!out.includes('watched-cm')) await http(c, 'POST', '/api/v1/namespaces/default/configmaps', { metadata: { name: `watched-cm` }, data: { a: '1', b: '2' } });
      return /\nwatched-cm\s+2\s+\S+/.test(out);
    }, 'the watched line');
  } finally {
    child.kill();
  }
  expect(out).toMatch(/^NAME\s+DATA\s+AGE\n/);
});

it('server-side apply, a changed field, and a conflict between two field managers', async () => {
  const cm = (value: string, extra = ''): string => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  color: ${value}\n${extra}`;
  const first = await kubectl(c, ['apply', '--server-side', '-f', '-'], cm('blue', '  size: large\n'));
  expect(first.stdout.trim()).toBe('configmap/settings serverside-applied');
  const second = await kubectl(c, ['apply', '--server-side', '-f', '-'], cm('green'));
  expect(second.code).toBe(0);
  const data = JSON.parse((await kubectl(c, ['get', 'configmap', 'settings', '-o', 'json'])).stdout) as Record<string, unknown>;
  expect(data['data']).toEqual({ color: 'green' });
  const clash = await kubectl(c, ['apply', '--server-side', '--field-manager=other-team', '-f', '-'], cm('red'));
  expect(clash.code).not.toBe(0);
  expect(clash.stderr).toContain('Apply failed with 1 conflict: conflict with "kubectl" using v1: .data.color');
  const forced = await kubectl(c, ['apply', '--server-side', '--field-manager=other-team', '--force-conflicts', '-f', '-'], cm('red'));
  expect(forced.code).toBe(0);
  const managed = JSON.parse((await kubectl(c, ['get', 'configmap', 'settings', '-o', 'json', '--show-managed-fields'])).stdout) as Record<string, unknown>;
  const managers = (at(managed, 'metadata.managedFields') as { manager: string }[]).map((m) => m.manager);
  expect(managers).toEqual(expect.arrayContaining(['other-team']));
  expect(at(managed, 'data.color')).toBe('red');
});

it('delete removes the deployment and, by cascade, its pods', async () => {
  const del = await kubectl(c, ['delete', 'deployment', 'web']);
  expect(del.stdout.trim()).toBe('deployment.apps "web" deleted');
  const gone = await kubectl(c, ['get', 'deployment', 'web']);
  expect(gone.code).not.toBe(0);
  expect(gone.stderr).toContain('Error from server (NotFound): deployments.apps "web" not found');
  await waitFor(async () => (await kubectl(c, ['get', 'pods', '-l', 'app=web', '-o', 'name'])).stdout.trim() === '', 'pods gone');
});

it('namespaces: create via apply, delete waits through Terminating', async () => {
  expect((await kubectl(c, ['apply', '-f', '-'], 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: team-a\n')).stdout.trim()).toBe('namespace/team-a created');
  await kubectl(c, ['apply', '-n', 'team-a', '-f', '-'], 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n');
  const del = await kubectl(c, ['delete', 'namespace', 'team-a']);
  expect(del.stdout.trim()).toBe('namespace "team-a" deleted');
  expect((await kubectl(c, ['get', 'namespace', 'team-a'])).code).not.toBe(0);
});

it('kubectl create (which sends protobuf bodies) works for namespaces, configmaps, secrets and deployments', async () => {
  expect((await kubectl(c, ['create', 'namespace', 'pb'])).stdout.trim()).toBe('namespace/pb created');
  expect((await kubectl(c, ['-n', 'pb', 'create', 'configmap', 'cfg', '--from-literal=a=1', '--from-literal=b=2'])).stdout.trim()).toBe('configmap/cfg created');
  expect((await kubectl(c, ['-n', 'pb', 'create', 'secret', 'generic', 'pw', '--from-literal=password=hunter2'])).stdout.trim()).toBe('secret/pw created');
  expect((await kubectl(c, ['-n', 'pb', 'create', 'deployment', 'api', '--image=nginx:1.27', '--replicas=2', '--port=8080'])).stdout.trim()).toBe('deployment.apps/api created');
  const cfg = JSON.parse((await kubectl(c, ['-n', 'pb', 'get', 'configmap', 'cfg', '-o', 'json'])).stdout) as Record<string, unknown>;
  expect(cfg['data']).toEqual({ a: '1', b: '2' });
  const secret = JSON.parse((await kubectl(c, ['-n', 'pb', 'get', 'secret', 'pw', '-o', 'json'])).stdout) as Record<string, unknown>;
  expect(Buffer.from(String(at(secret, 'data.password')), 'base64').toString()).toBe('hunter2');
  const dep = JSON.parse((await kubectl(c, ['-n', 'pb', 'get', 'deployment', 'api', '-o', 'json'])).stdout) as Record<string, unknown>;
  expect(at(dep, 'spec.replicas')).toBe(2);
  expect(at(dep, 'spec.selector')).toEqual({ matchLabels: { app: 'api' } });
  expect(at(dep, 'spec.template.spec.containers.0')).toMatchObject({ name: 'nginx', image: 'nginx:1.27', ports: [{ containerPort: 8080, protocol: 'TCP' }] });
  expect((await kubectl(c, ['-n', 'pb', 'rollout', 'status', 'deployment/api', '--timeout=30s'])).code).toBe(0);
});

it('kubectl autoscale (autoscaling/v1, converted to the stored v2) creates an HPA that scales the deployment', async () => {
  await kubectl(c, ['-n', 'pb', 'annotate', 'deployment', 'api', 'sandbox.berth.dev/cpu-utilization=10']);
  const out = await kubectl(c, ['-n', 'pb', 'autoscale', 'deployment', 'api', '--min=1', '--max=4', '--cpu-percent=60']);
  expect(out.stdout.trim()).toBe('horizontalpodautoscaler.autoscaling/api autoscaled');
  await waitFor(async () => at(JSON.parse((await kubectl(c, ['-n', 'pb', 'get', 'deployment', 'api', '-o', 'json'])).stdout), 'spec.replicas') === 1, 'scaled down to min');
  const v1 = await http(c, 'GET', '/apis/autoscaling/v1/namespaces/pb/horizontalpodautoscalers/api', undefined, undefined, {});
  expect(v1.body).toMatchObject({ apiVersion: 'autoscaling/v1', spec: { minReplicas: 1, maxReplicas: 4, targetCPUUtilizationPercentage: 60 } });
  const v2 = await http(c, 'GET', '/apis/autoscaling/v2/namespaces/pb/horizontalpodautoscalers/api');
  expect(at(v2.body, 'spec.metrics.0.resource.target.averageUtilization')).toBe(60);
  const table = await kubectl(c, ['-n', 'pb', 'get', 'hpa']);
  expect(table.stdout).toMatch(/\napi\s+Deployment\/api\s+cpu: 10%\/60%\s+1\s+4\s+1\s+/);
});
