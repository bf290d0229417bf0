import { LimitRangeAdmission } from './admission/limit-range.js';
import { ResourceQuotaAdmission, tracks } from './admission/resource-quota.js';
import { DeploymentController } from './controllers/deployment.controller.js';
import { GarbageCollector } from './controllers/garbage-collector.js';
import { HpaController } from './controllers/hpa.controller.js';
import { Kubelet, NODE_NAME } from './controllers/kubelet.js';
import { NamespaceController } from './controllers/namespace.controller.js';
import { controllerOf, ReplicaSetController } from './controllers/replicaset.controller.js';
import { ResourceQuotaController } from './controllers/resourcequota.controller.js';
import { NODE_CAPACITY } from './controllers/scheduler.js';
import { PodSecurityAdmission } from './admission/pod-security.js';
import { EventRecorder } from './events.js';
import { SimClock } from './clock.js';
import { CronJobController } from './controllers/cronjob.controller.js';
import { JobController } from './controllers/job.controller.js';
import { EndpointsController } from './controllers/endpoints.controller.js';
import { Registry } from './registry.js';
import { R } from './resources.js';
import type { SimulationSettings } from './settings.js';
import type { Persistence } from './persistence.js';
import { Store, type StoreEvent } from './store.js';
import { nowIso } from './types.js';

/** The storage, API semantics and simulated controllers of one sandbox cluster (no HTTP). */
export class ClusterCore {
  readonly store: Store;
  readonly registry: Registry;
  private readonly events: EventRecorder;
  private readonly gc: GarbageCollector;
  private readonly deployments: DeploymentController;
  private readonly replicasets: ReplicaSetController;
  private readonly kubelet: Kubelet;
  private readonly namespaces: NamespaceController;
  private readonly hpas: HpaController;
  private readonly quotas: ResourceQuotaController;
  private readonly jobs: JobController;
  private readonly cronjobs: CronJobController;
  private readonly endpoints: EndpointsController;

  constructor(
    readonly settings: SimulationSettings,
    historySize: number,
    persistence?: Persistence,
    /** The simulated wall clock CronJobs are scheduled by (tests freeze and advance it). */
    readonly clock: SimClock = new SimClock(),
  ) {
    this.store = new Store(historySize, persistence);
    this.registry = new Registry(this.store);
    this.registry.admission.push(new LimitRangeAdmission(this.store), new PodSecurityAdmission(this.store), new ResourceQuotaAdmission(this.store));
    this.events = new EventRecorder(this.registry);
    this.gc = new GarbageCollector(this.registry);
    this.deployments = new DeploymentController(this.registry, this.events, settings);
    this.replicasets = new ReplicaSetController(this.registry, this.events, Math.max(50, settings.rolloutDelayMs));
    this.kubelet = new Kubelet(this.registry, this.events, settings);
    this.namespaces = new NamespaceController(this.registry, settings.namespaceTerminationMs);
    this.hpas = new HpaController(this.registry, this.events, settings.hpaSyncMs);
    this.quotas = new ResourceQuotaController(this.registry);
    this.jobs = new JobController(this.registry, this.events, settings);
    this.cronjobs = new CronJobController(this.registry, this.events, this.clock);
    this.endpoints = new EndpointsController(this.registry);
    this.store.subscribe((ev) => this.dispatch(ev));
    // Objects restored from a data directory: controllers pick up where they were.
    // Objects already being deleted resume as the update that started their deletion.
    // Pods past Pending keep the state they had: the simulated node did not restart.
    for (const { res, obj } of this.store.restored) {
      if (res === R.pods && obj.status?.['phase'] !== undefined && obj.status['phase'] !== 'Pending') continue;
      const deleting = obj.metadata.deletionTimestamp !== undefined;
      const old = deleting ? { ...obj, metadata: { ...obj.metadata, deletionTimestamp: undefined } } : undefined;
      this.dispatch({ rv: this.store.revision, type: deleting ? 'MODIFIED' : 'ADDED', res, obj, old });
    }
    if (!this.store.get(R.namespaces, '', 'default')) this.bootstrap();
  }

  private dispatch(ev: StoreEvent): void {
    this.gc.observe(ev);
    const { obj } = ev;
    const ns = obj.metadata.namespace ?? '';
    const key = `${ns}/${obj.metadata.name ?? ''}`;
    const owner = controllerOf(obj);
    // A controller's own status write must not wake it again (no hot loops); spec changes do.
    const statusOnly = ev.type === 'MODIFIED' && ev.old?.metadata.generation === obj.metadata.generation && ev.old?.metadata.deletionTimestamp === obj.metadata.deletionTimestamp;
    switch (ev.res) {
      case R.deployments:
        if (!statusOnly) this.deployments.enqueue(key);
        break;
      case R.replicasets:
        if (!statusOnly) this.replicasets.enqueue(key);
        if (owner?.kind === 'Deployment') this.deployments.enqueue(`${ns}/${owner.name}`);
        break;
      case R.pods:
        if (ev.type === 'ADDED') this.kubelet.enqueue(key);
        if (ev.type === 'DELETED') this.kubelet.forget(obj.metadata.uid);
        this.endpoints.podChanged(obj, ev.old);
        if (owner?.kind === 'ReplicaSet') this.replicasets.enqueue(`${ns}/${owner.name}`);
        else if (owner?.kind === 'Job') this.jobs.enqueue(`${ns}/${owner.name}`);
        break;
      case R.jobs:
        if (ev.type === 'DELETED') this.jobs.forget(obj.metadata.uid);
        else if (!statusOnly) this.jobs.enqueue(key);
        if (owner?.kind === 'CronJob') this.cronjobs.enqueue(`${ns}/${owner.name}`);
        break;
      case R.services:
        this.endpoints.enqueue(key);
        break;
      case R.cronjobs:
        if (ev.type !== 'DELETED' && !statusOnly) this.cronjobs.enqueue(key);
        break;
      case R.namespaces:
        if (ev.type === 'ADDED') setImmediate(() => this.namespaces.namespaceAdded(obj.metadata.name ?? ''));
        else if (ev.type === 'MODIFIED' && obj.metadata.deletionTimestamp) this.namespaces.namespaceTerminating(obj.metadata.name ?? '');
        break;
      case R.hpas:
        if (ev.type !== 'DELETED') this.hpas.enqueue(key);
        break;
    }
    if (ev.res.namespaced && ns && this.quotaCounts(ev, ns)) this.quotas.enqueue(ns);
  }

  /**
   * Does a change move a quota of its namespace (or is it a quota)? Like kube-controller-manager's
   * quota monitors, the quota controller wakes for the resources its quotas count, not for every
   * write in the namespace (a Deployment's status, an Event).
   */
  private quotaCounts(ev: StoreEvent, ns: string): boolean {
    if (ev.res === R.resourcequotas) return true;
    if (ev.res === R.events) return false;
    for (const quota of this.store.list(R.resourcequotas, ns)) {
      for (const key of Object.keys((quota.spec?.['hard'] ?? {}) as Record<string, unknown>)) if (tracks(ev.res, key)) return true;
    }
    return false;
  }

  private bootstrap(): void {
    const reg = this.registry;
    for (const name of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) {
      reg.create(R.namespaces, '', { metadata: { name } }, { fieldManager: 'kube-apiserver' });
    }
    reg.create(
      R.nodes,
      '',
      {
        metadata: { name: NODE_NAME, labels: { 'kubernetes.io/hostname': NODE_NAME, 'kubernetes.io/os': 'linux', 'node-role.kubernetes.io/control-plane': '' } },
        spec: {},
      },
      { fieldManager: 'kubelet' },
    );
    const node = reg.get(R.nodes, '', NODE_NAME);
    this.store.write(R.nodes, {
      ...node,
      status: {
        capacity: { ...NODE_CAPACITY },
        allocatable: { ...NODE_CAPACITY },
        conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status', lastHeartbeatTime: nowIso(), lastTransitionTime: nowIso() }],
        addresses: [{ type: 'InternalIP', address: '172.18.0.2' }, { type: 'Hostname', address: NODE_NAME }],
        nodeInfo: { kubeletVersion: 'v1.32.0', containerRuntimeVersion: 'containerd://sandbox', operatingSystem: 'linux', architecture: 'amd64', osImage: 'Berth sandbox', kernelVersion: '6.1', kubeProxyVersion: 'v1.32.0', machineID: '', systemUUID: '', bootID: '' },
      },
    });
    reg.create(
      R.services,
      'default',
      {
        metadata: { name: 'kubernetes', labels: { component: 'apiserver', provider: 'kubernetes' } },
        spec: { clusterIP: '10.96.0.1', ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }] },
      },
      { fieldManager: 'kube-apiserver' },
    );
    // The API server keeps its own Endpoints (the service has no selector).
    reg.create(
      R.endpoints,
      'default',
      {
        metadata: { name: 'kubernetes', labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } },
        subsets: [{ addresses: [{ ip: '172.18.0.2' }], ports: [{ name: 'https', port: 6443, protocol: 'TCP' }] }],
      },
      { fieldManager: 'kube-apiserver' },
    );
  }

  stop(): void {
    for (const c of [this.gc, this.deployments, this.replicasets, this.kubelet, this.namespaces, this.hpas, this.quotas, this.jobs, this.cronjobs, this.endpoints]) c.stop();
    this.store.close();
  }
}
