import type { ResourceDef } from './resources.js';
import { selectorString } from './selectors.js';
import { asArray, asMap, getPath, type JsonMap, type KubeObject } from './types.js';

interface Column {
  name: string;
  type: string;
  format?: string;
  priority?: number;
  cell: (o: KubeObject) => string | number;
}

/** duration.HumanDuration, as kubectl and the server print ages. */
export function humanDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 10) return s % 60 === 0 ? `${m}m` : `${m}m${s % 60}s`;
  if (m < 180) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 8) return m % 60 === 0 ? `${h}h` : `${h}h${m % 60}m`;
  if (h < 48) return `${h}h`;
  const d = Math.floor(h / 24);
  if (h < 192) return h % 24 === 0 ? `${d}d` : `${d}d${h % 24}h`;
  if (d < 365 * 2) return `${d}d`;
  return `${Math.floor(d / 365)}y`;
}

function age(ts: unknown): string {
  if (typeof ts !== 'string') return '<unknown>';
  return humanDuration(Date.now() - Date.parse(ts));
}

const name: Column = { name: 'Name', type: 'string', format: 'name', cell: (o) => o.metadata.name ?? '' };
const ageCol: Column = { name: 'Age', type: 'string', cell: (o) => age(o.metadata.creationTimestamp) };
const num = (path: string) => (o: KubeObject): number => Number(getPath(o, path) ?? 0);

function podStatus(o: KubeObject): string {
  if (o.metadata.deletionTimestamp) return 'Terminating';
  const st = asMap(o.status);
  for (const cs of asArray(st['containerStatuses'])) {
    const waiting = asMap(asMap(asMap(cs)['state'])['waiting']);
    if (typeof waiting['reason'] === 'string' && waiting['reason'] !== '') return waiting['reason'];
    const term = asMap(asMap(asMap(cs)['state'])['terminated']);
    if (typeof term['reason'] === 'string') return term['reason'];
  }
  return String(st['phase'] ?? 'Pending');
}

function podReady(o: KubeObject): string {
  const containers = asArray(asMap(o.spec)['containers']).length;
  const ready = asArray(asMap(o.status)['containerStatuses']).filter((c) => asMap(c)['ready'] === true).length;
  return `${ready}/${containers}`;
}

function restarts(o: KubeObject): string {
  let n = 0;
  let last = '';
  for (const cs of asArray(asMap(o.status)['containerStatuses'])) {
    const c = asMap(cs);
    n += Number(c['restartCount'] ?? 0);
    const finished = asMap(asMap(c['lastState'])['terminated'])['finishedAt'];
    if (typeof finished === 'string') last = finished;
  }
  return last && n > 0 ? `${n} (${age(last)} ago)` : String(n);
}

function servicePorts(o: KubeObject): string {
  const ports = asArray(asMap(o.spec)['ports']).map((p) => {
    const m = asMap(p);
    return `${String(m['port'])}${m['nodePort'] ? `:${String(m['nodePort'])}` : ''}/${String(m['protocol'] ?? 'TCP')}`;
  });
  return ports.length ? ports.join(',') : '<none>';
}

function containersOf(o: KubeObject, field: 'name' | 'image'): string {
  return asArray(getPath(o, 'spec.template.spec.containers')).map((c) => String(asMap(c)[field])).join(',');
}

function hpaTargets(o: KubeObject): string {
  const spec = asArray(asMap(o.spec)['metrics']);
  const current = asArray(asMap(o.status)['currentMetrics']);
  if (!spec.length) return '<none>';
  return spec
    .map((m, i) => {
      const target = getPath(m, 'resource.target.averageUtilization');
      const cur = getPath(current[i], 'resource.current.averageUtilization');
      return `cpu: ${cur === undefined ? '<unknown>' : `${String(cur)}%`}/${String(target ?? '?')}%`;
    })
    .join(', ');
}

function namesAt(o: KubeObject, path: string, field: 'name' | 'image'): string {
  return asArray(getPath(o, path)).map((c) => String(asMap(c)[field])).join(',');
}

/** The -o wide columns of the workload kinds. */
const WIDE: Column[] = [
  { name: 'Containers', type: 'string', priority: 1, cell: (o) => containersOf(o, 'name') },
  { name: 'Images', type: 'string', priority: 1, cell: (o) => containersOf(o, 'image') },
  { name: 'Selector', type: 'string', priority: 1, cell: (o) => selectorString(getPath(o, 'spec.selector')) || '<none>' },
];

function readinessGates(o: KubeObject): string {
  const gates = asArray(getPath(o, 'spec.readinessGates')).map((g) => String(asMap(g)['conditionType']));
  if (!gates.length) return '<none>';
  const conds = asArray(getPath(o, 'status.conditions')).map(asMap);
  const ready = gates.filter((g) => conds.some((c) => c['type'] === g && c['status'] === 'True')).length;
  return `${ready}/${gates.length}`;
}

function hasCondition(o: KubeObject, type: string): boolean {
  return asArray(getPath(o, 'status.conditions')).some((c) => asMap(c)['type'] === type && asMap(c)['status'] === 'True');
}

function jobStatus(o: KubeObject): string {
  if (hasCondition(o, 'Complete')) return 'Complete';
  if (hasCondition(o, 'Failed')) return 'Failed';
  if (o.metadata.deletionTimestamp) return 'Terminating';
  if (hasCondition(o, 'Suspended')) return 'Suspended';
  if (hasCondition(o, 'FailureTarget')) return 'FailureTarget';
  if (hasCondition(o, 'SuccessCriteriaMet')) return 'SuccessCriteriaMet';
  return 'Running';
}

function jobCompletions(o: KubeObject): string {
  const succeeded = Number(getPath(o, 'status.succeeded') ?? 0);
  const completions = getPath(o, 'spec.completions');
  const parallelism = getPath(o, 'spec.parallelism');
  if (typeof completions === 'number') return `${succeeded}/${completions}`;
  if (typeof parallelism === 'number' && parallelism > 1) return `${succeeded}/1 of ${parallelism}`;
  return `${succeeded}/1`;
}

function jobDuration(o: KubeObject): string {
  const start = getPath(o, 'status.startTime');
  if (typeof start !== 'string') return '';
  const end = getPath(o, 'status.completionTime');
  return humanDuration((typeof end === 'string' ? Date.parse(end) : Date.now()) - Date.parse(start));
}

function endpointsCell(o: KubeObject): string {
  const out: string[] = [];
  for (const sub of asArray(o['subsets']).map(asMap)) {
    const ports = asArray(sub['ports']).map((p) => asMap(p)['port']);
    for (const a of asArray(sub['addresses']).map(asMap)) {
      if (!ports.length) out.push(String(a['ip']));
      for (const p of ports) out.push(`${String(a['ip'])}:${String(p)}`);
    }
  }
  if (!out.length) return '<none>';
  return out.length > 3 ? `${out.slice(0, 3).join(',')} + ${out.length - 3} more...` : out.join(',');
}

const COLUMNS: Record<string, Column[]> = {
  pods: [
    name,
    { name: 'Ready', type: 'string', cell: podReady },
    { name: 'Status', type: 'string', cell: podStatus },
    { name: 'Restarts', type: 'string', cell: restarts },
    ageCol,
    { name: 'IP', type: 'string', priority: 1, cell: (o) => String(getPath(o, 'status.podIP') ?? '<none>') },
    { name: 'Node', type: 'string', priority: 1, cell: (o) => String(getPath(o, 'spec.nodeName') ?? '<none>') },
    { name: 'Nominated Node', type: 'string', priority: 1, cell: (o) => String(getPath(o, 'status.nominatedNodeName') ?? '<none>') },
    { name: 'Readiness Gates', type: 'string', priority: 1, cell: readinessGates },
  ],
  deployments: [
    name,
    { name: 'Ready', type: 'string', cell: (o) => `${Number(getPath(o, 'status.readyReplicas') ?? 0)}/${Number(getPath(o, 'spec.replicas') ?? 0)}` },
    { name: 'Up-to-date', type: 'integer', cell: num('status.updatedReplicas') },
    { name: 'Available', type: 'integer', cell: num('status.availableReplicas') },
    ageCol,
    { name: 'Containers', type: 'string', priority: 1, cell: (o) => containersOf(o, 'name') },
    { name: 'Images', type: 'string', priority: 1, cell: (o) => containersOf(o, 'image') },
    { name: 'Selector', type: 'string', priority: 1, cell: (o) => selectorString(getPath(o, 'spec.selector')) },
  ],
  replicasets: [
    name,
    { name: 'Desired', type: 'integer', cell: num('spec.replicas') },
    { name: 'Current', type: 'integer', cell: num('status.replicas') },
    { name: 'Ready', type: 'integer', cell: num('status.readyReplicas') },
    ageCol,
    ...WIDE,
  ],
  replicationcontrollers: [
    name,
    { name: 'Desired', type: 'integer', cell: num('spec.replicas') },
    { name: 'Current', type: 'integer', cell: num('status.replicas') },
    { name: 'Ready', type: 'integer', cell: num('status.readyReplicas') },
    ageCol,
    ...WIDE,
  ],
  statefulsets: [
    name,
    { name: 'Ready', type: 'string', cell: (o) => `${Number(getPath(o, 'status.readyReplicas') ?? 0)}/${Number(getPath(o, 'spec.replicas') ?? 0)}` },
    ageCol,
    ...WIDE.slice(0, 2),
  ],
  daemonsets: [
    name,
    { name: 'Desired', type: 'integer', cell: num('status.desiredNumberScheduled') },
    { name: 'Current', type: 'integer', cell: num('status.currentNumberScheduled') },
    { name: 'Ready', type: 'integer', cell: num('status.numberReady') },
    { name: 'Up-to-date', type: 'integer', cell: num('status.updatedNumberScheduled') },
    { name: 'Available', type: 'integer', cell: num('status.numberAvailable') },
    { name: 'Node Selector', type: 'string', cell: (o) => Object.entries(asMap(getPath(o, 'spec.template.spec.nodeSelector'))).map(([k, v]) => `${k}=${String(v)}`).join(',') || '<none>' },
    ageCol,
    ...WIDE,
  ],
  jobs: [
    name,
    { name: 'Status', type: 'string', cell: jobStatus },
    { name: 'Completions', type: 'string', cell: jobCompletions },
    { name: 'Duration', type: 'string', cell: jobDuration },
    ageCol,
    ...WIDE,
  ],
  cronjobs: [
    name,
    { name: 'Schedule', type: 'string', cell: (o) => String(getPath(o, 'spec.schedule') ?? '') },
    { name: 'Timezone', type: 'string', cell: (o) => String(getPath(o, 'spec.timeZone') ?? '<none>') },
    { name: 'Suspend', type: 'boolean', cell: (o) => (getPath(o, 'spec.suspend') === true ? 'True' : 'False') },
    { name: 'Active', type: 'integer', cell: (o) => asArray(getPath(o, 'status.active')).length },
    { name: 'Last Schedule', type: 'string', cell: (o) => (getPath(o, 'status.lastScheduleTime') ? age(getPath(o, 'status.lastScheduleTime')) : '<none>') },
    ageCol,
    { name: 'Containers', type: 'string', priority: 1, cell: (o) => namesAt(o, 'spec.jobTemplate.spec.template.spec.containers', 'name') },
    { name: 'Images', type: 'string', priority: 1, cell: (o) => namesAt(o, 'spec.jobTemplate.spec.template.spec.containers', 'image') },
    { name: 'Selector', type: 'string', priority: 1, cell: (o) => selectorString(getPath(o, 'spec.jobTemplate.spec.selector')) || '<none>' },
  ],
  endpoints: [name, { name: 'Endpoints', type: 'string', cell: endpointsCell }, ageCol],
  endpointslices: [
    name,
    { name: 'AddressType', type: 'string', cell: (o) => String(o['addressType'] ?? '') },
    { name: 'Ports', type: 'string', cell: (o) => asArray(o['ports']).map((p) => String(asMap(p)['port'] ?? '')).join(',') || '<unset>' },
    { name: 'Endpoints', type: 'string', cell: (o) => asArray(o['endpoints']).flatMap((e) => asArray(asMap(e)['addresses']).map(String)).join(',') || '<unset>' },
    ageCol,
  ],
  persistentvolumes: [
    name,
    { name: 'Capacity', type: 'string', cell: (o) => String(getPath(o, 'spec.capacity.storage') ?? '') },
    { name: 'Access Modes', type: 'string', cell: (o) => asArray(getPath(o, 'spec.accessModes')).map((m) => ({ ReadWriteOnce: 'RWO', ReadOnlyMany: 'ROX', ReadWriteMany: 'RWX', ReadWriteOncePod: 'RWOP' })[String(m)] ?? String(m)).join(',') },
    { name: 'Reclaim Policy', type: 'string', cell: (o) => String(getPath(o, 'spec.persistentVolumeReclaimPolicy') ?? 'Retain') },
    { name: 'Status', type: 'string', cell: (o) => String(getPath(o, 'status.phase') ?? 'Available') },
    { name: 'Claim', type: 'string', cell: (o) => (getPath(o, 'spec.claimRef.name') ? `${String(getPath(o, 'spec.claimRef.namespace'))}/${String(getPath(o, 'spec.claimRef.name'))}` : '') },
    { name: 'StorageClass', type: 'string', cell: (o) => String(getPath(o, 'spec.storageClassName') ?? '') },
    { name: 'VolumeAttributesClass', type: 'string', cell: (o) => String(getPath(o, 'spec.volumeAttributesClassName') ?? '<unset>') },
    { name: 'Reason', type: 'string', cell: (o) => String(getPath(o, 'status.reason') ?? '') },
    ageCol,
  ],
  services: [
    name,
    { name: 'Type', type: 'string', cell: (o) => String(getPath(o, 'spec.type') ?? 'ClusterIP') },
    { name: 'Cluster-IP', type: 'string', cell: (o) => String(getPath(o, 'spec.clusterIP') ?? '<none>') },
    { name: 'External-IP', type: 'string', cell: () => '<none>' },
    { name: 'Port(s)', type: 'string', cell: servicePorts },
    ageCol,
  ],
  configmaps: [name, { name: 'Data', type: 'integer', cell: (o) => Object.keys(asMap(o['data'])).length + Object.keys(asMap(o['binaryData'])).length }, ageCol],
  secrets: [
    name,
    { name: 'Type', type: 'string', cell: (o) => String(o['type'] ?? 'Opaque') },
    { name: 'Data', type: 'integer', cell: (o) => Object.keys(asMap(o['data'])).length },
    ageCol,
  ],
  namespaces: [name, { name: 'Status', type: 'string', cell: (o) => String(getPath(o, 'status.phase') ?? 'Active') }, ageCol],
  events: [
    { name: 'Last Seen', type: 'string', cell: (o) => age(o['lastTimestamp'] ?? o['eventTime'] ?? o.metadata.creationTimestamp) },
    { name: 'Type', type: 'string', cell: (o) => String(o['type'] ?? '') },
    { name: 'Reason', type: 'string', cell: (o) => String(o['reason'] ?? '') },
    { name: 'Object', type: 'string', cell: (o) => `${String(getPath(o, 'involvedObject.kind') ?? '').toLowerCase()}/${String(getPath(o, 'involvedObject.name') ?? '')}` },
    { name: 'Message', type: 'string', cell: (o) => String(o['message'] ?? '') },
    { ...name, priority: 1 },
  ],
  horizontalpodautoscalers: [
    name,
    { name: 'Reference', type: 'string', cell: (o) => `${String(getPath(o, 'spec.scaleTargetRef.kind'))}/${String(getPath(o, 'spec.scaleTargetRef.name'))}` },
    { name: 'Targets', type: 'string', cell: hpaTargets },
    { name: 'MinPods', type: 'string', cell: (o) => String(getPath(o, 'spec.minReplicas') ?? 1) },
    { name: 'MaxPods', type: 'string', cell: (o) => String(getPath(o, 'spec.maxReplicas') ?? '') },
    { name: 'Replicas', type: 'string', cell: (o) => String(getPath(o, 'status.currentReplicas') ?? 0) },
    ageCol,
  ],
  ingresses: [
    name,
    { name: 'Class', type: 'string', cell: (o) => String(getPath(o, 'spec.ingressClassName') ?? '<none>') },
    { name: 'Hosts', type: 'string', cell: (o) => asArray(getPath(o, 'spec.rules')).map((r) => String(asMap(r)['host'] ?? '*')).join(',') || '*' },
    { name: 'Address', type: 'string', cell: () => '' },
    { name: 'Ports', type: 'string', cell: (o) => (asArray(getPath(o, 'spec.tls')).length ? '80, 443' : '80') },
    ageCol,
  ],
  resourcequotas: [
    name,
    ageCol,
    {
      name: 'Request',
      type: 'string',
      cell: (o) => {
        const hard = asMap(getPath(o, 'status.hard'));
        const used = asMap(getPath(o, 'status.used'));
        return Object.keys(hard).filter((k) => !k.startsWith('limits.')).sort().map((k) => `${k}: ${String(used[k] ?? '0')}/${String(hard[k])}`).join(', ');
      },
    },
  ],
  poddisruptionbudgets: [
    name,
    { name: 'Min Available', type: 'string', cell: (o) => String(getPath(o, 'spec.minAvailable') ?? 'N/A') },
    { name: 'Max Unavailable', type: 'string', cell: (o) => String(getPath(o, 'spec.maxUnavailable') ?? 'N/A') },
    { name: 'Allowed Disruptions', type: 'integer', cell: num('status.disruptionsAllowed') },
    ageCol,
  ],
  leases: [name, { name: 'Holder', type: 'string', cell: (o) => String(getPath(o, 'spec.holderIdentity') ?? '') }, ageCol],
  networkpolicies: [name, { name: 'Pod-Selector', type: 'string', cell: (o) => selectorString(getPath(o, 'spec.podSelector')) || '<none>' }, ageCol],
  serviceaccounts: [name, { name: 'Secrets', type: 'integer', cell: (o) => asArray(o['secrets']).length }, ageCol],
  nodes: [name, { name: 'Status', type: 'string', cell: () => 'Ready' }, { name: 'Roles', type: 'string', cell: () => 'control-plane' }, ageCol, { name: 'Version', type: 'string', cell: () => 'v1.32.0' }],
};

export function columnsFor(res: ResourceDef): Column[] {
  return COLUMNS[res.plural] ?? [name, ageCol];
}

function partial(o: KubeObject, includeObject: string): JsonMap | null {
  if (includeObject === 'None') return null;
  if (includeObject === 'Object') return o as unknown as JsonMap;
  const { managedFields: _mf, ...meta } = o.metadata;
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: meta };
}

/** A meta.k8s.io/v1 Table for kubectl's server-side printing. */
export function toTable(res: ResourceDef, items: KubeObject[], listMeta: JsonMap, includeObject: string, headers = true): JsonMap {
  const cols = columnsFor(res);
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: listMeta,
    columnDefinitions: headers
      ? cols.map((c) => ({ name: c.name, type: c.type, format: c.format ?? '', description: c.name, priority: c.priority ?? 0 }))
      : [],
    rows: items.map((o) => ({ cells: cols.map((c) => c.cell(o)), object: partial(o, includeObject) })),
  };
}

export function wantsTable(accept: string | undefined): boolean {
  return !!accept && accept.includes('as=Table');
}

export function wantsPartial(accept: string | undefined): boolean {
  return !!accept && accept.includes('as=PartialObjectMetadata');
}
