// Pure renderers: a RenderInput in, the Kubernetes objects Berth applies out, in apply order.
// No I/O, no clock, no randomness: the same input always renders the same objects.
import { createHash } from 'node:crypto';
import { LABELS, MANAGED_BY, type KubernetesObject, type RenderInput, type RenderProcessType } from './render.types.js';

const WEB = 'web';
const SERVICE_PORT = 80;
const INGRESS_NAMESPACE = 'ingress-nginx';

export function releaseSecretName(number: number): string {
  return `release-v${number}`;
}

/** Secrets pruning must keep: the current release's and the previous one's (pods of the old ReplicaSet still start from it mid-rollout). */
export function retainedSecretNames(input: RenderInput): string[] {
  return [input.release, input.previousRelease].flatMap((r) => (r ? [releaseSecretName(r.number)] : []));
}

export function renderEnvironment(input: RenderInput): KubernetesObject[] {
  const objects: KubernetesObject[] = [namespace(input), serviceAccount(input)];
  if (input.imagePullSecret) objects.push(pullSecret(input));
  if (input.release) objects.push(releaseSecret(input));
  objects.push(resourceQuota(input), limitRange(input), networkPolicy(input));
  if (input.release) {
    for (const p of input.processTypes) objects.push(deployment(input, p));
    const web = webProcess(input);
    if (web) {
      objects.push(service(input, web));
      for (const host of input.domains) objects.push(ingress(input, host));
    }
    for (const p of input.processTypes) if (p.autoscaling) objects.push(hpa(input, p));
    if (input.environment.production) {
      for (const p of input.processTypes) if (p.autoscaling || p.replicas >= 2) objects.push(pdb(input, p));
    }
  }
  return objects;
}

function webProcess(input: RenderInput): RenderProcessType | undefined {
  return input.processTypes.find((p) => p.type === WEB && p.port !== null);
}

function baseLabels(input: RenderInput): Record<string, string> {
  return {
    [LABELS.managedBy]: MANAGED_BY,
    [LABELS.name]: input.app.name,
    [LABELS.instance]: input.environment.namespace,
    [LABELS.team]: input.team.name,
    [LABELS.app]: input.app.name,
    [LABELS.environment]: input.environment.name,
    [LABELS.environmentId]: input.environment.id,
  };
}

/** Stable labels only: a Deployment's selector can never change, so the release is not in it. */
function selectorLabels(input: RenderInput, type: string): Record<string, string> {
  return { [LABELS.app]: input.app.name, [LABELS.environment]: input.environment.name, [LABELS.processType]: type };
}

function meta(input: RenderInput, name: string, extra: Record<string, string> = {}, namespaced = true) {
  return { name, ...(namespaced ? { namespace: input.environment.namespace } : {}), labels: { ...baseLabels(input), ...extra } };
}

function namespace(input: RenderInput): KubernetesObject {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: meta(input, input.environment.namespace, { 'pod-security.kubernetes.io/enforce': 'baseline' }, false),
  };
}

function serviceAccount(input: RenderInput): KubernetesObject {
  return { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta(input, 'app'), automountServiceAccountToken: false };
}

function pullSecret(input: RenderInput): KubernetesObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: meta(input, 'registry-credentials'),
    type: 'kubernetes.io/dockerconfigjson',
    data: { '.dockerconfigjson': Buffer.from(input.imagePullSecret!.dockerConfigJson).toString('base64') },
  };
}

function releaseSecret(input: RenderInput): KubernetesObject {
  const release = input.release!;
  const data = Object.fromEntries(Object.keys(release.config).sort().map((k) => [k, Buffer.from(release.config[k]!).toString('base64')]));
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: meta(input, releaseSecretName(release.number), { [LABELS.release]: String(release.number) }),
    type: 'Opaque',
    immutable: true,
    data,
  };
}

function resourceQuota(input: RenderInput): KubernetesObject {
  return {
    apiVersion: 'v1',
    kind: 'ResourceQuota',
    metadata: meta(input, 'berth-quota'),
    spec: { hard: { 'requests.cpu': `${input.quota.cpuMillis}m`, 'requests.memory': `${input.quota.memoryMib}Mi`, pods: String(input.quota.pods) } },
  };
}

function limitRange(input: RenderInput): KubernetesObject {
  return {
    apiVersion: 'v1',
    kind: 'LimitRange',
    metadata: meta(input, 'berth-defaults'),
    spec: {
      limits: [
        {
          type: 'Container',
          default: { cpu: '500m', memory: '512Mi' },
          defaultRequest: { cpu: '250m', memory: '512Mi' },
          max: { cpu: `${Math.max(input.quota.cpuMillis, 1)}m`, memory: `${Math.max(input.quota.memoryMib, 1)}Mi` },
        },
      ],
    },
  };
}

/** Other teams' namespaces cannot reach this one; the ingress controller and the team itself can. */
function networkPolicy(input: RenderInput): KubernetesObject {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: meta(input, 'deny-other-teams'),
    spec: {
      podSelector: {},
      policyTypes: ['Ingress'],
      ingress: [
        {
          from: [
            { namespaceSelector: { matchLabels: { [LABELS.team]: input.team.name } } },
            { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': INGRESS_NAMESPACE } } },
          ],
        },
      ],
    },
  };
}

function probes(p: RenderProcessType): Record<string, unknown> {
  if (p.port === null) return {};
  const handler = p.healthCheckPath ? { httpGet: { path: p.healthCheckPath, port: p.port } } : { tcpSocket: { port: p.port } };
  return {
    readinessProbe: { ...handler, periodSeconds: 5, timeoutSeconds: 2, failureThreshold: 3 },
    livenessProbe: { ...handler, initialDelaySeconds: 10, periodSeconds: 10, timeoutSeconds: 2, failureThreshold: 6 },
  };
}

function deployment(input: RenderInput, p: RenderProcessType): KubernetesObject {
  const release = input.release!;
  const selector = selectorLabels(input, p.type);
  const podLabels = { ...baseLabels(input), ...selector, [LABELS.release]: String(release.number) };
  const annotations: Record<string, string> = { 'berth.dev/release': String(release.number) };
  if (input.restartedAt) annotations['berth.dev/restarted-at'] = input.restartedAt;
  const container = {
    name: p.type,
    image: release.image,
    ...(p.command ? { command: ['/bin/sh', '-c', p.command] } : {}),
    envFrom: [{ secretRef: { name: releaseSecretName(release.number) } }],
    ...(p.port !== null ? { env: [{ name: 'PORT', value: String(p.port) }], ports: [{ name: 'http', containerPort: p.port, protocol: 'TCP' }] } : {}),
    resources: { requests: { cpu: p.size.cpuRequest, memory: p.size.memoryRequest }, limits: { cpu: p.size.cpuLimit, memory: p.size.memoryLimit } },
    ...probes(p),
    // Not readOnlyRootFilesystem: twelve-factor apps still write to /tmp and caches.
    securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' } },
  };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta(input, p.type, { [LABELS.processType]: p.type, [LABELS.release]: String(release.number), [LABELS.component]: p.type }),
    spec: {
      // Under an HPA the replica count is the autoscaler's: leaving it out keeps Berth from fighting it.
      ...(p.autoscaling ? {} : { replicas: p.replicas }),
      selector: { matchLabels: selector },
      revisionHistoryLimit: 5,
      progressDeadlineSeconds: 300,
      strategy: { type: 'RollingUpdate', rollingUpdate: p.type === WEB ? { maxUnavailable: 0, maxSurge: '25%' } : { maxUnavailable: '25%', maxSurge: '25%' } },
      template: {
        metadata: { labels: podLabels, annotations },
        spec: {
          serviceAccountName: 'app',
          automountServiceAccountToken: false,
          terminationGracePeriodSeconds: 30,
          ...(input.imagePullSecret ? { imagePullSecrets: [{ name: 'registry-credentials' }] } : {}),
          containers: [container],
        },
      },
    },
  };
}

function service(input: RenderInput, web: RenderProcessType): KubernetesObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: meta(input, WEB, { [LABELS.processType]: WEB }),
    spec: { type: 'ClusterIP', selector: selectorLabels(input, WEB), ports: [{ name: 'http', port: SERVICE_PORT, targetPort: web.port!, protocol: 'TCP' }] },
  };
}

/** One Ingress per domain; names derive from the hostname, hashed when too long for a DNS label. */
export function ingressName(hostname: string): string {
  const base = `domain-${hostname.replace(/^\*\./, 'wildcard.').replace(/\./g, '-')}`;
  if (base.length <= 63) return base;
  const hash = createHash('sha256').update(hostname).digest('hex').slice(0, 8);
  return `${base.slice(0, 54).replace(/-+$/, '')}-${hash}`;
}

function ingress(input: RenderInput, host: string): KubernetesObject {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: meta(input, ingressName(host), { 'berth.dev/domain': createHash('sha256').update(host).digest('hex').slice(0, 16) }),
    spec: {
      ...(input.cluster.ingressClassName ? { ingressClassName: input.cluster.ingressClassName } : {}),
      rules: [{ host, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: WEB, port: { number: SERVICE_PORT } } } }] } }],
    },
  };
}

function hpa(input: RenderInput, p: RenderProcessType): KubernetesObject {
  const a = p.autoscaling!;
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: meta(input, p.type, { [LABELS.processType]: p.type }),
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: p.type },
      minReplicas: a.min,
      maxReplicas: a.max,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: a.targetCpu } } }],
    },
  };
}

function pdb(input: RenderInput, p: RenderProcessType): KubernetesObject {
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: meta(input, p.type, { [LABELS.processType]: p.type }),
    spec: { maxUnavailable: 1, selector: { matchLabels: selectorLabels(input, p.type) } },
  };
}
