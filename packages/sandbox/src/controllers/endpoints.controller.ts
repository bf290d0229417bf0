import { deleteObject } from '../deletion.js';
import type { Registry } from '../registry.js';
import { R } from '../resources.js';
import { asArray, asMap, deepEqual, isMap, type JsonMap, type KubeObject } from '../types.js';
import { Controller, splitKey } from './controller.js';
import { isPodReady } from './replicaset.controller.js';

const MANAGER = 'kube-controller-manager';
const SERVICE_NAME = 'kubernetes.io/service-name';
const MANAGED_BY = 'endpointslice.kubernetes.io/managed-by';
const SLICE_CONTROLLER = 'endpointslice-controller.k8s.io';

function selects(svc: KubeObject, pod: KubeObject): boolean {
  const sel = asMap(asMap(svc.spec)['selector']);
  const keys = Object.keys(sel);
  if (!keys.length) return false;
  const labels = pod.metadata.labels ?? {};
  return keys.every((k) => labels[k] === sel[k]);
}

/** A Service port's target on a pod (a named targetPort resolves through the pod's container ports). */
function targetPort(port: JsonMap, pod: KubeObject): number | undefined {
  const tp = port['targetPort'] ?? port['port'];
  if (typeof tp === 'number') return tp;
  for (const c of asArray(asMap(pod.spec)['containers']).filter(isMap)) {
    for (const p of asArray(c['ports']).filter(isMap)) if (p['name'] === tp) return Number(p['containerPort']);
  }
  if (/^\d+$/.test(String(tp))) return Number(tp);
  return undefined;
}

/**
 * The endpoints and EndpointSlice controllers: for every Service with a selector, an Endpoints
 * object (ready pods in `addresses`, others in `notReadyAddresses`) and one EndpointSlice
 * (IPv4, conditions ready/serving/terminating) listing the selected pods that have an IP.
 */
export class EndpointsController extends Controller {
  constructor(private readonly reg: Registry) {
    super();
  }

  /** A pod changed: wake the services that select it (before or after the change). */
  podChanged(pod: KubeObject, old: KubeObject | undefined): void {
    const ns = pod.metadata.namespace ?? '';
    for (const svc of this.reg.store.list(R.services, ns)) {
      if (selects(svc, pod) || (old && selects(svc, old))) this.enqueue(`${ns}/${svc.metadata.name}`);
    }
  }

  protected reconcile(key: string): void {
    const [ns, name] = splitKey(key);
    const svc = this.reg.find(R.services, ns, name);
    const current = this.reg.find(R.endpoints, ns, name);
    if (!svc || svc.metadata.deletionTimestamp || !Object.keys(asMap(asMap(svc.spec)['selector'])).length) {
      // Selector-less services keep whatever Endpoints their owner writes; deleted ones lose theirs.
      if (!svc && current) {
        try {
          deleteObject(this.reg, R.endpoints, ns, name, {});
        } catch {
          // gone already
        }
      }
      return;
    }
    const ports = asArray(asMap(svc.spec)['ports']).filter(isMap);
    const pods = this.reg.store
      .list(R.pods, ns)
      .filter((p) => selects(svc, p) && asMap(p.status)['podIP'] && !['Succeeded', 'Failed'].includes(String(asMap(p.status)['phase'])))
      .sort((a, b) => String(a.metadata.name).localeCompare(String(b.metadata.name)));
    this.writeEndpoints(svc, current, pods, ports);
    this.writeSlice(svc, pods, ports);
  }

  private writeEndpoints(svc: KubeObject, current: KubeObject | undefined, pods: KubeObject[], ports: JsonMap[]): void {
    const ns = svc.metadata.namespace ?? '';
    const address = (p: KubeObject): JsonMap => ({
      ip: asMap(p.status)['podIP'],
      nodeName: asMap(p.spec)['nodeName'],
      targetRef: { kind: 'Pod', namespace: ns, name: p.metadata.name, uid: p.metadata.uid },
    });
    const epPorts = (p: KubeObject): JsonMap[] =>
      ports.flatMap((sp) => {
        const port = targetPort(sp, p);
        if (port === undefined) return [];
        return [{ ...(sp['name'] ? { name: sp['name'] } : {}), port, protocol: sp['protocol'] ?? 'TCP' }];
      });
    const withPorts = pods.filter((p) => epPorts(p).length === ports.length);
    const ready = withPorts.filter((p) => isPodReady(p) && !p.metadata.deletionTimestamp);
    const notReady = withPorts.filter((p) => !ready.includes(p));
    const subsets: JsonMap[] = [];
    if (withPorts.length) {
      const subset: JsonMap = {};
      if (ready.length) subset['addresses'] = ready.map(address);
      if (notReady.length) subset['notReadyAddresses'] = notReady.map(address);
      subset['ports'] = epPorts(withPorts[0]!);
      subsets.push(subset);
    }
    const labels = { ...(svc.metadata.labels ?? {}) };
    const body: KubeObject = { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: svc.metadata.name ?? '', namespace: ns, labels }, ...(subsets.length ? { subsets } : {}) };
    if (!current) {
      this.reg.create(R.endpoints, ns, body, { fieldManager: MANAGER });
      return;
    }
    if (deepEqual(current['subsets'], body['subsets']) && deepEqual(current.metadata.labels ?? {}, labels)) return;
    const next: KubeObject = { ...current, metadata: { ...current.metadata, labels } };
    if (subsets.length) next['subsets'] = subsets;
    else delete next['subsets'];
    this.reg.commitUpdate(R.endpoints, current, next, { fieldManager: MANAGER });
  }

  private writeSlice(svc: KubeObject, pods: KubeObject[], ports: JsonMap[]): void {
    const ns = svc.metadata.namespace ?? '';
    const uid = svc.metadata.uid ?? '';
    const existing = this.reg.store.dependents(uid, R.endpointslices).filter((s) => s.metadata.labels?.[MANAGED_BY] === SLICE_CONTROLLER);
    const endpoints = pods.map((p) => {
      const ready = isPodReady(p) && !p.metadata.deletionTimestamp;
      return {
        addresses: [asMap(p.status)['podIP']],
        conditions: { ready, serving: isPodReady(p), terminating: !!p.metadata.deletionTimestamp },
        nodeName: asMap(p.spec)['nodeName'],
        targetRef: { kind: 'Pod', namespace: ns, name: p.metadata.name, uid: p.metadata.uid },
      };
    });
    const slicePorts = ports.map((sp) => {
      const port = pods.length ? targetPort(sp, pods[0]!) : undefined;
      return { name: String(sp['name'] ?? ''), ...(port !== undefined ? { port } : {}), protocol: sp['protocol'] ?? 'TCP' };
    });
    const labels = { ...(svc.metadata.labels ?? {}), [SERVICE_NAME]: svc.metadata.name ?? '', [MANAGED_BY]: SLICE_CONTROLLER };
    const [first, ...extra] = existing;
    for (const s of extra) {
      try {
        deleteObject(this.reg, R.endpointslices, ns, s.metadata.name ?? '', {});
      } catch {
        // gone already
      }
    }
    if (!first) {
      this.reg.create(
        R.endpointslices,
        ns,
        {
          metadata: {
            generateName: `${svc.metadata.name}-`,
            labels,
            ownerReferences: [{ apiVersion: 'v1', kind: 'Service', name: svc.metadata.name ?? '', uid, controller: true, blockOwnerDeletion: true }],
          },
          addressType: 'IPv4',
          endpoints,
          ports: slicePorts,
        },
        { fieldManager: MANAGER },
      );
      return;
    }
    if (deepEqual(first['endpoints'], endpoints) && deepEqual(first['ports'], slicePorts) && deepEqual(first.metadata.labels, labels)) return;
    this.reg.commitUpdate(R.endpointslices, first, { ...first, metadata: { ...first.metadata, labels }, endpoints, ports: slicePorts }, { fieldManager: MANAGER });
  }
}
