/** The built-in resource types the sandbox serves, as discovery describes them. */
export interface ResourceDef {
  group: string;
  version: string;
  kind: string;
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  /** Subresources besides the main resource (status, scale, log, finalize). */
  subresources: string[];
  /** "configmaps" or "deployments.apps": used in messages and stats. */
  qualified: string;
  /** apiVersion string for objects: "v1" or "apps/v1". */
  apiVersion: string;
  /** Name must be a DNS-1123 label (63 chars) rather than a subdomain (253). */
  nameIsLabel: boolean;
  /** For an older served version: the resource objects are stored as (see versions.ts). */
  storage?: ResourceDef;
  /** Create-only resources that are never stored (reviews; see virtual.ts). */
  virtual?: boolean;
  /** Verbs when not the full set (virtual resources: create only). */
  verbs?: string[];
}

const ALL = ['all'];
const VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

function def(
  group: string,
  version: string,
  kind: string,
  plural: string,
  namespaced: boolean,
  opts: { short?: string[]; cat?: string[]; sub?: string[]; label?: boolean; virtual?: boolean } = {},
): ResourceDef {
  return {
    ...(opts.virtual ? { virtual: true, verbs: ['create'] } : {}),
    group,
    version,
    kind,
    plural,
    singular: kind.toLowerCase(),
    namespaced,
    shortNames: opts.short ?? [],
    categories: opts.cat ?? [],
    subresources: opts.sub ?? [],
    qualified: group ? `${plural}.${group}` : plural,
    apiVersion: group ? `${group}/${version}` : version,
    nameIsLabel: opts.label ?? false,
  };
}

export const RESOURCES: readonly ResourceDef[] = [
  def('', 'v1', 'Namespace', 'namespaces', false, { short: ['ns'], sub: ['status', 'finalize'], label: true }),
  def('', 'v1', 'Node', 'nodes', false, { short: ['no'], sub: ['status'] }),
  def('', 'v1', 'ConfigMap', 'configmaps', true, { short: ['cm'] }),
  def('', 'v1', 'Secret', 'secrets', true),
  def('', 'v1', 'Service', 'services', true, { short: ['svc'], cat: ALL, sub: ['status'], label: true }),
  def('', 'v1', 'Endpoints', 'endpoints', true, { short: ['ep'] }),
  def('', 'v1', 'ServiceAccount', 'serviceaccounts', true, { short: ['sa'], sub: ['token'] }),
  def('', 'v1', 'ReplicationController', 'replicationcontrollers', true, { short: ['rc'], cat: ALL, sub: ['status', 'scale'] }),
  def('', 'v1', 'PersistentVolume', 'persistentvolumes', false, { short: ['pv'], sub: ['status'] }),
  def('', 'v1', 'Pod', 'pods', true, { short: ['po'], cat: ALL, sub: ['status', 'log'] }),
  def('', 'v1', 'Event', 'events', true, { short: ['ev'] }),
  def('', 'v1', 'ResourceQuota', 'resourcequotas', true, { short: ['quota'], sub: ['status'] }),
  def('', 'v1', 'LimitRange', 'limitranges', true, { short: ['limits'] }),
  def('', 'v1', 'PersistentVolumeClaim', 'persistentvolumeclaims', true, { short: ['pvc'], sub: ['status'] }),
  def('apps', 'v1', 'Deployment', 'deployments', true, { short: ['deploy'], cat: ALL, sub: ['status', 'scale'] }),
  def('apps', 'v1', 'ReplicaSet', 'replicasets', true, { short: ['rs'], cat: ALL, sub: ['status', 'scale'] }),
  def('apps', 'v1', 'StatefulSet', 'statefulsets', true, { short: ['sts'], cat: ALL, sub: ['status', 'scale'] }),
  def('apps', 'v1', 'DaemonSet', 'daemonsets', true, { short: ['ds'], cat: ALL, sub: ['status'] }),
  def('apps', 'v1', 'ControllerRevision', 'controllerrevisions', true),
  def('batch', 'v1', 'Job', 'jobs', true, { cat: ALL, sub: ['status'] }),
  def('batch', 'v1', 'CronJob', 'cronjobs', true, { short: ['cj'], cat: ALL, sub: ['status'] }),
  def('discovery.k8s.io', 'v1', 'EndpointSlice', 'endpointslices', true),
  def('events.k8s.io', 'v1', 'Event', 'events', true, { short: ['ev'] }),
  def('authentication.k8s.io', 'v1', 'SelfSubjectReview', 'selfsubjectreviews', false, { virtual: true }),
  def('authentication.k8s.io', 'v1', 'TokenReview', 'tokenreviews', false, { virtual: true }),
  def('authorization.k8s.io', 'v1', 'SelfSubjectAccessReview', 'selfsubjectaccessreviews', false, { virtual: true }),
  def('authorization.k8s.io', 'v1', 'SelfSubjectRulesReview', 'selfsubjectrulesreviews', false, { virtual: true }),
  def('networking.k8s.io', 'v1', 'Ingress', 'ingresses', true, { short: ['ing'], sub: ['status'] }),
  def('networking.k8s.io', 'v1', 'NetworkPolicy', 'networkpolicies', true, { short: ['netpol'] }),
  def('networking.k8s.io', 'v1', 'IngressClass', 'ingressclasses', false),
  def('autoscaling', 'v2', 'HorizontalPodAutoscaler', 'horizontalpodautoscalers', true, {
    short: ['hpa'],
    cat: ALL,
    sub: ['status'],
  }),
  def('autoscaling', 'v1', 'HorizontalPodAutoscaler', 'horizontalpodautoscalers', true, { short: ['hpa'], sub: ['status'] }),
  def('policy', 'v1', 'PodDisruptionBudget', 'poddisruptionbudgets', true, { short: ['pdb'], sub: ['status'] }),
  def('coordination.k8s.io', 'v1', 'Lease', 'leases', true),
];

export const SUBRESOURCE_VERBS: Record<string, string[]> = {
  status: ['get', 'patch', 'update'],
  scale: ['get', 'patch', 'update'],
  log: ['get'],
  finalize: ['update'],
  token: ['create'],
};

export function resourceVerbs(): string[] {
  return VERBS;
}

const hpaV1 = RESOURCES.find((r) => r.group === 'autoscaling' && r.version === 'v1')!;
hpaV1.storage = RESOURCES.find((r) => r.group === 'autoscaling' && r.version === 'v2');
// events.k8s.io/v1 is another view of the core/v1 events (one store, both views, as upstream).
const eventsV1 = RESOURCES.find((r) => r.group === 'events.k8s.io')!;
eventsV1.storage = RESOURCES.find((r) => r.group === '' && r.plural === 'events');

/** Resources as stored (other views and create-only reviews excluded). */
export const STORED: readonly ResourceDef[] = RESOURCES.filter((r) => !r.storage && !r.virtual);

const byPath = new Map<string, ResourceDef>();
const byKind = new Map<string, ResourceDef>();
for (const r of RESOURCES) {
  byPath.set(`${r.apiVersion}/${r.plural}`, r);
  byKind.set(`${r.apiVersion}/${r.kind}`, r);
}

/** Find a resource by apiVersion ("v1", "apps/v1") and plural. */
export function findResource(apiVersion: string, plural: string): ResourceDef | undefined {
  return byPath.get(`${apiVersion}/${plural}`);
}

export function findByKind(apiVersion: string, kind: string): ResourceDef | undefined {
  return byKind.get(`${apiVersion}/${kind}`);
}

export function mustResource(apiVersion: string, plural: string): ResourceDef {
  const r = findResource(apiVersion, plural);
  if (!r) throw new Error(`unknown resource ${apiVersion}/${plural}`);
  return r;
}

/** Group name → versions served (one per group here). */
export function groups(): Map<string, string[]> {
  const m = new Map<string, string[]>();
  for (const r of RESOURCES) {
    const vs = m.get(r.group) ?? [];
    if (!vs.includes(r.version)) vs.push(r.version);
    m.set(r.group, vs);
  }
  return m;
}

export const R = {
  namespaces: mustResource('v1', 'namespaces'),
  nodes: mustResource('v1', 'nodes'),
  configmaps: mustResource('v1', 'configmaps'),
  secrets: mustResource('v1', 'secrets'),
  services: mustResource('v1', 'services'),
  serviceaccounts: mustResource('v1', 'serviceaccounts'),
  pods: mustResource('v1', 'pods'),
  events: mustResource('v1', 'events'),
  resourcequotas: mustResource('v1', 'resourcequotas'),
  limitranges: mustResource('v1', 'limitranges'),
  deployments: mustResource('apps/v1', 'deployments'),
  replicasets: mustResource('apps/v1', 'replicasets'),
  hpas: mustResource('autoscaling/v2', 'horizontalpodautoscalers'),
  jobs: mustResource('batch/v1', 'jobs'),
  cronjobs: mustResource('batch/v1', 'cronjobs'),
  endpoints: mustResource('v1', 'endpoints'),
  endpointslices: mustResource('discovery.k8s.io/v1', 'endpointslices'),
  eventsV1: mustResource('events.k8s.io/v1', 'events'),
};
