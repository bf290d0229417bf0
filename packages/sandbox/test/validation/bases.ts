/** Valid objects of each kind the validation table mutates into invalid ones. */
export type Obj = Record<string, unknown>;

export const NS = 'default';

export const BASES: Record<string, { path: string; obj: () => Obj }> = {
  Deployment: {
    path: `/apis/apps/v1/namespaces/${NS}/deployments`,
    obj: () => ({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'v', labels: { app: 'v' } },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'v' } },
        template: {
          metadata: { labels: { app: 'v' } },
          spec: { containers: [{ name: 'app', image: 'nginx:1.27', ports: [{ name: 'http', containerPort: 8080 }], resources: { requests: { cpu: '100m' }, limits: { cpu: '1' } } }] },
        },
      },
    }),
  },
  ReplicaSet: {
    path: `/apis/apps/v1/namespaces/${NS}/replicasets`,
    obj: () => ({
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: 'v' },
      spec: { replicas: 0, selector: { matchLabels: { app: 'v' } }, template: { metadata: { labels: { app: 'v' } }, spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] } } },
    }),
  },
  Pod: {
    path: `/api/v1/namespaces/${NS}/pods`,
    obj: () => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'v' }, spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] } }),
  },
  Service: {
    path: `/api/v1/namespaces/${NS}/services`,
    obj: () => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'v' }, spec: { selector: { app: 'v' }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] } }),
  },
  Ingress: {
    path: `/apis/networking.k8s.io/v1/namespaces/${NS}/ingresses`,
    obj: () => ({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'v' },
      spec: {
        rules: [{ host: 'v.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'v', port: { number: 80 } } } }] } }],
        tls: [{ hosts: ['v.example.com'], secretName: 'v-tls' }],
      },
    }),
  },
  NetworkPolicy: {
    path: `/apis/networking.k8s.io/v1/namespaces/${NS}/networkpolicies`,
    obj: () => ({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'v' },
      spec: {
        podSelector: { matchLabels: { app: 'v' } },
        policyTypes: ['Ingress', 'Egress'],
        ingress: [{ from: [{ podSelector: {} }], ports: [{ protocol: 'TCP', port: 8080 }] }],
        egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/8' } }], ports: [{ protocol: 'UDP', port: 53 }] }],
      },
    }),
  },
  PodDisruptionBudget: {
    path: `/apis/policy/v1/namespaces/${NS}/poddisruptionbudgets`,
    obj: () => ({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'v' }, spec: { minAvailable: 1, selector: { matchLabels: { app: 'v' } } } }),
  },
  HorizontalPodAutoscaler: {
    path: `/apis/autoscaling/v2/namespaces/${NS}/horizontalpodautoscalers`,
    obj: () => ({
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'v' },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'v' },
        minReplicas: 1,
        maxReplicas: 3,
        metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }],
      },
    }),
  },
  ResourceQuota: {
    path: `/api/v1/namespaces/${NS}/resourcequotas`,
    obj: () => ({ apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'v' }, spec: { hard: { pods: '100', 'requests.cpu': '100', 'count/deployments.apps': '50' } } }),
  },
  LimitRange: {
    path: `/api/v1/namespaces/${NS}/limitranges`,
    obj: () => ({
      apiVersion: 'v1',
      kind: 'LimitRange',
      metadata: { name: 'v' },
      spec: { limits: [{ type: 'Container', max: { cpu: '4', memory: '8Gi' }, min: { memory: '1Mi' }, default: { cpu: '1' }, defaultRequest: { cpu: '10m' } }] },
    }),
  },
  Secret: {
    path: `/api/v1/namespaces/${NS}/secrets`,
    obj: () => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'v' }, type: 'Opaque', data: { token: Buffer.from('s3cret').toString('base64') } }),
  },
  ConfigMap: {
    path: `/api/v1/namespaces/${NS}/configmaps`,
    obj: () => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'v' }, data: { 'app.properties': 'a=b' } }),
  },
  Namespace: {
    path: '/api/v1/namespaces',
    obj: () => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'v' } }),
  },
  PersistentVolumeClaim: {
    path: `/api/v1/namespaces/${NS}/persistentvolumeclaims`,
    obj: () => ({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'v' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }),
  },
  ServiceAccount: {
    path: `/api/v1/namespaces/${NS}/serviceaccounts`,
    obj: () => ({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'v' }, imagePullSecrets: [{ name: 'registry' }] }),
  },
};

/** Set (or, with undefined, delete) the value at a dotted path ("spec.ports.0.name"), creating maps on the way. */
export function set(obj: Obj, path: string, value: unknown): Obj {
  const parts = path.split('.');
  let cur: Record<string, unknown> | unknown[] = obj;
  for (const p of parts.slice(0, -1)) {
    const c = cur as Record<string, unknown>;
    if (c[p] === undefined) c[p] = {};
    cur = c[p] as Record<string, unknown>;
  }
  const last = parts[parts.length - 1]!;
  if (value === undefined) delete (cur as Record<string, unknown>)[last];
  else (cur as Record<string, unknown>)[last] = value;
  return obj;
}
