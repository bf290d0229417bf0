import type { ResourceDef } from './resources.js';
import { applyWorkloadDefaults, WORKLOAD_GENERATION } from './workload-defaults.js';
import { asArray, isMap, type JsonMap, type KubeObject } from './types.js';

function setDefault(m: JsonMap, key: string, value: unknown): void {
  if (m[key] === undefined) m[key] = value;
}

function imagePullPolicy(image: unknown): string {
  const s = typeof image === 'string' ? image : '';
  const lastSegment = s.slice(s.lastIndexOf('/') + 1);
  if (s.includes('@')) return 'IfNotPresent';
  if (!lastSegment.includes(':') || lastSegment.endsWith(':latest')) return 'Always';
  return 'IfNotPresent';
}

function defaultContainer(c: unknown): void {
  if (!isMap(c)) return;
  setDefault(c, 'terminationMessagePath', '/dev/termination-log');
  setDefault(c, 'terminationMessagePolicy', 'File');
  setDefault(c, 'imagePullPolicy', imagePullPolicy(c['image']));
  setDefault(c, 'resources', {});
  for (const p of asArray(c['ports'])) if (isMap(p)) setDefault(p, 'protocol', 'TCP');
  for (const e of asArray(c['env'])) {
    if (isMap(e) && isMap(e['valueFrom']) && isMap(e['valueFrom']['fieldRef'])) setDefault(e['valueFrom']['fieldRef'], 'apiVersion', 'v1');
  }
}

export function defaultPodSpec(spec: unknown, isPod: boolean): void {
  if (!isMap(spec)) return;
  setDefault(spec, 'restartPolicy', 'Always');
  setDefault(spec, 'terminationGracePeriodSeconds', 30);
  setDefault(spec, 'dnsPolicy', 'ClusterFirst');
  setDefault(spec, 'securityContext', {});
  setDefault(spec, 'schedulerName', 'default-scheduler');
  if (isPod) {
    setDefault(spec, 'serviceAccountName', 'default');
    setDefault(spec, 'serviceAccount', spec['serviceAccountName']);
    setDefault(spec, 'enableServiceLinks', true);
    setDefault(spec, 'preemptionPolicy', 'PreemptLowerPriority');
    setDefault(spec, 'priority', 0);
    setDefault(spec, 'tolerations', [
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    ]);
  }
  for (const c of asArray(spec['containers'])) defaultContainer(c);
  for (const c of asArray(spec['initContainers'])) defaultContainer(c);
}

let ipCounter = 0;
const reserved = new Set<string>();
function allocateClusterIp(): string {
  for (;;) {
    ipCounter++;
    const ip = `10.96.${Math.floor(ipCounter / 250) % 250}.${(ipCounter % 250) + 2}`;
    if (!reserved.has(ip)) return ip;
  }
}

/** An address already held by a Service restored from disk is never handed out again. */
export function reserveClusterIp(ip: unknown): void {
  if (typeof ip === 'string') reserved.add(ip);
}

function defaultService(obj: KubeObject): void {
  const spec = (obj.spec ??= {});
  setDefault(spec, 'type', 'ClusterIP');
  setDefault(spec, 'sessionAffinity', 'None');
  if (spec['type'] !== 'ExternalName') {
    setDefault(spec, 'clusterIP', allocateClusterIp());
    setDefault(spec, 'clusterIPs', [spec['clusterIP']]);
    setDefault(spec, 'ipFamilies', ['IPv4']);
    setDefault(spec, 'ipFamilyPolicy', 'SingleStack');
    setDefault(spec, 'internalTrafficPolicy', 'Cluster');
  }
  let nodePort = 30000 + Math.floor(Math.random() * 2767);
  for (const p of asArray(spec['ports'])) {
    if (!isMap(p)) continue;
    setDefault(p, 'protocol', 'TCP');
    setDefault(p, 'targetPort', p['port']);
    if (spec['type'] === 'NodePort' || spec['type'] === 'LoadBalancer') setDefault(p, 'nodePort', nodePort++);
  }
  if (spec['type'] === 'NodePort' || spec['type'] === 'LoadBalancer') setDefault(spec, 'externalTrafficPolicy', 'Cluster');
  setDefault(obj, 'status', { loadBalancer: {} });
}

/** Fill in the defaults a real API server's defaulting functions set (on create and update). */
export function applyDefaults(res: ResourceDef, obj: KubeObject, isCreate: boolean): void {
  applyWorkloadDefaults(res, obj, isCreate, defaultPodSpec);
  switch (res.plural) {
    case 'deployments': {
      const spec = (obj.spec ??= {});
      setDefault(spec, 'replicas', 1);
      setDefault(spec, 'revisionHistoryLimit', 10);
      setDefault(spec, 'progressDeadlineSeconds', 600);
      setDefault(spec, 'strategy', { type: 'RollingUpdate' });
      const strategy = spec['strategy'];
      if (isMap(strategy) && (strategy['type'] ?? 'RollingUpdate') === 'RollingUpdate') {
        setDefault(strategy, 'type', 'RollingUpdate');
        setDefault(strategy, 'rollingUpdate', {});
        const ru = strategy['rollingUpdate'];
        if (isMap(ru)) {
          setDefault(ru, 'maxSurge', '25%');
          setDefault(ru, 'maxUnavailable', '25%');
        }
      }
      if (isMap(spec['template'])) {
        setDefault(spec['template'], 'metadata', {});
        defaultPodSpec(spec['template']['spec'], false);
      }
      break;
    }
    case 'replicasets':
      setDefault((obj.spec ??= {}), 'replicas', 1);
      if (isMap(obj.spec['template'])) defaultPodSpec(obj.spec['template']['spec'], false);
      break;
    case 'pods':
      defaultPodSpec((obj.spec ??= {}), true);
      break;
    case 'services':
      defaultService(obj);
      break;
    case 'secrets': {
      setDefault(obj, 'type', 'Opaque');
      if (isMap(obj['stringData'])) {
        const data: JsonMap = isMap(obj['data']) ? obj['data'] : {};
        for (const [k, v] of Object.entries(obj['stringData'])) data[k] = Buffer.from(String(v)).toString('base64');
        obj['data'] = data;
        delete obj['stringData'];
      }
      break;
    }
    case 'horizontalpodautoscalers':
      setDefault((obj.spec ??= {}), 'minReplicas', 1);
      break;
    case 'namespaces':
      if (isCreate) {
        setDefault((obj.spec ??= {}), 'finalizers', ['kubernetes']);
        obj.status = { phase: 'Active' };
      }
      obj.metadata.labels = { ...(obj.metadata.labels ?? {}), 'kubernetes.io/metadata.name': obj.metadata.name ?? '' };
      break;
  }
}

/** Resources whose generation is tracked (bumped on spec changes). */
export const HAS_GENERATION = new Set(['deployments', 'replicasets', 'ingresses', 'networkpolicies', 'horizontalpodautoscalers', 'poddisruptionbudgets', ...WORKLOAD_GENERATION]);
