// Berth's view of each cluster it owns, kept by watching rather than polling: one informer (list +
// watch, label-selected on app.kubernetes.io/managed-by=berth) per managed kind, plus Pods.
//
// - Drift is observed: a managed object deleted by hand, or edited so that a field Berth owns
//   changed (its owned-fields hash moved to a value Berth did not apply), queues a reconcile of its
//   environment at once. No resync timer is involved.
// - A resync compares hashes with this cache: no GET, no list (see WorkloadsService.resyncBatch).
// - Status: Deployment and Pod changes queue a status look; the look reads slim copies of the
//   Deployments and Pods kept here (only the fields release-status.ts reads).
// Per object the cache keeps the owned-fields hash, the resourceVersion and the environment id, not
// the object. Informers run only for the clusters this replica owns (ClusterOwnership).
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { KINDS } from '../../common/kubernetes/kinds.js';
import { BERTH_CONFIG, type BerthConfig } from '../../config/config.js';
import { ClusterConnections } from '../clusters/kube/cluster-connections.service.js';
import type { KubeObject } from '../clusters/kube/kube-gateway.js';
import { Informer } from '../clusters/kube/informer.js';
import { WorkQueueService } from '../work-queue/work-queue.service.js';
import { ClusterOwnership } from './cluster-ownership.port.js';
import { liveHash } from './owned-hash.js';
import { RECONCILE_TASK } from './tasks.js';
import { lookJobs } from './look-jobs.js';
import { WorkloadsRepository } from './workloads.repository.js';

const SELECTOR = 'app.kubernetes.io/managed-by=berth';
const ENV_LABEL = 'berth.dev/environment-id';
/** A rollout changes a Deployment and its Pods many times a second: one status look per environment per this window. */
const LOOK_DEBOUNCE_MS = 500;
const KEPT_LABELS = ['berth.dev/environment-id', 'berth.dev/process-type', 'berth.dev/release'];

/** What the cache keeps of a managed object. */
export interface CachedObject {
  /** Hash of the values at the fields Berth owns (owned-hash.ts). */
  h: string;
  rv: string;
  env: string | undefined;
  /** Being deleted (deletionTimestamp set). */
  terminating?: true;
  /** Deployments only: the fields the status observer reads. */
  status?: KubeObject;
}

type Ref = Pick<KubeObject, 'apiVersion' | 'kind' | 'metadata'>;

interface ClusterWatch {
  clusterId: string;
  version: number;
  name: string;
  startedAt: number;
  /** Listeners were told this cluster's cache became complete. */
  announced: boolean;
  kinds: Map<string, Informer<CachedObject>>;
  pods: Informer<KubeObject>;
  /** Owned-fields hashes Berth just applied: the watch event that echoes them is not drift. */
  expected: Map<string, string>;
  /** Objects Berth is deleting itself: their DELETED event is not drift. */
  deleting: Set<string>;
}

/** The reconciler's window on one cluster's cache; only given out while every informer is synced. */
export interface ClusterView {
  get(ref: Ref): CachedObject | undefined;
  /** Berth applied `ref` with this owned-fields hash. */
  applied(ref: Ref, hash: string): void;
  /** Berth is deleting `ref`. */
  deleting(ref: Ref): void;
}

@Injectable()
export class ClusterInformers implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('ClusterInformers');
  private readonly watches = new Map<string, ClusterWatch>();
  private readonly pendingDrift = new Set<string>();
  /** Environments to look at, per cluster. */
  private readonly pendingLook = new Map<string, Set<string>>();
  private lookTimer: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void) | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private readonly syncListeners = new Set<(clusterId: string) => void>();
  private syncing: Promise<void> = Promise.resolve();
  /** Environments whose drift was noticed from a watch event (tests, metrics). */
  driftNoticed = 0;

  constructor(
    private readonly connections: ClusterConnections,
    private readonly ownership: ClusterOwnership,
    private readonly queue: WorkQueueService,
    private readonly workloads: WorkloadsRepository,
    @Inject(BERTH_CONFIG) private readonly config: BerthConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.workersEnabled) return;
    this.unsubscribe = this.ownership.onChange(() => void this.sync().catch((err: unknown) => this.logger.warn({ err }, 'informer sync failed')));
    // Changed credentials (a new cluster version) restart that cluster's informers.
    this.timer = setInterval(() => void this.sync().catch((err: unknown) => this.logger.warn({ err }, 'informer sync failed')), 3000);
    this.timer.unref();
    void this.sync().catch(() => undefined);
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    this.unsubscribe?.();
    if (this.timer) clearInterval(this.timer);
    // Looks not queued yet are not lost: after a start every environment is looked at.
    clearTimeout(this.lookTimer);
    this.pendingLook.clear();
    for (const watch of this.watches.values()) stopWatch(watch);
    this.watches.clear();
  }

  /** Starts informers for owned clusters that have none (or changed), stops the rest; one pass at a time. */
  sync(): Promise<void> {
    this.syncing = this.syncing.then(() => this.syncOnce(), () => this.syncOnce());
    return this.syncing;
  }

  private async syncOnce(): Promise<void> {
    if (this.stopped) return;
    const owned = this.ownership.owned();
    const clusters = (await this.connections.all()).filter((c) => owned.has(c.id));
    let changed = false;
    for (const cluster of clusters) {
      const current = this.watches.get(cluster.id);
      if (current && current.version === cluster.version) continue;
      if (current) stopWatch(current);
      changed = true;
      const watch: ClusterWatch = { clusterId: cluster.id, version: cluster.version, name: cluster.name, startedAt: Date.now(), announced: false, kinds: new Map(), pods: undefined!, expected: new Map(), deleting: new Set() };
      const announce = () => {
        if (watch.announced || this.watches.get(cluster.id) !== watch || !this.synced(cluster.id)) return;
        watch.announced = true;
        for (const listener of this.syncListeners) listener(cluster.id);
      };
      for (const kind of KINDS.filter((k) => k.managed)) {
        const informer: Informer<CachedObject> = new Informer(cluster.gateway, {
          apiVersion: kind.apiVersion,
          kind: kind.kind,
          labelSelector: SELECTOR,
          reduce: (object) => cached(object),
          changed: (name, before, after) => this.managedChanged(watch, kind.kind, `${kind.apiVersion}/${kind.kind}/${name.namespace}/${name.name}`, before, after),
          syncedChanged: (synced, error) => {
            if (synced) announce();
            else this.logger.warn({ cluster: cluster.name, kind: kind.kind, err: error }, 'informer lost its cluster; listing again when it answers');
          },
        });
        watch.kinds.set(`${kind.apiVersion}/${kind.kind}`, informer);
      }
      watch.pods = new Informer<KubeObject>(cluster.gateway, {
        apiVersion: 'v1',
        kind: 'Pod',
        labelSelector: SELECTOR,
        reduce: slimPod,
        syncedChanged: (synced) => {
          if (synced) announce();
        },
        changed: (_name, before, after) => {
          if (JSON.stringify(before) !== JSON.stringify(after)) this.look(watch, (after ?? before)?.metadata.labels?.[ENV_LABEL]);
        },
      });
      this.watches.set(cluster.id, watch);
      for (const informer of watch.kinds.values()) informer.start();
      watch.pods.start();
    }
    for (const [id, watch] of this.watches) {
      if (!clusters.some((c) => c.id === id)) {
        stopWatch(watch);
        this.watches.delete(id);
      }
    }
    // A cluster Berth has not seen yet may be the one an unplaced environment waits for.
    if (changed) await this.placeWaiting();
  }

  /** True when this replica watches the cluster and every informer has listed it. */
  synced(clusterId: string): boolean {
    const watch = this.watches.get(clusterId);
    return !!watch && watch.pods.synced && [...watch.kinds.values()].every((i) => i.synced);
  }

  /**
   * 'synced': the cache is complete; 'starting': informers began listing less than 30 s ago and
   * have not finished (worth waiting for); 'unsynced': they cannot list the cluster (down);
   * 'not-watched': this replica does not own the cluster.
   */
  state(clusterId: string): 'synced' | 'starting' | 'unsynced' | 'not-watched' {
    const watch = this.watches.get(clusterId);
    if (!watch) return 'not-watched';
    if (this.synced(clusterId)) return 'synced';
    return !watch.announced && Date.now() - watch.startedAt < 30_000 ? 'starting' : 'unsynced';
  }

  /** Resolves once the cluster's cache is complete, or after `timeoutMs` (then `synced` says which). */
  async whenSynced(clusterId: string, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!this.synced(clusterId) && Date.now() < deadline && this.state(clusterId) === 'starting') await new Promise((r) => setTimeout(r, 50));
    return this.synced(clusterId);
  }

  /** Calls `listener` when a cluster's cache first becomes complete (a newly owned cluster is resynced then). */
  onSynced(listener: (clusterId: string) => void): () => void {
    this.syncListeners.add(listener);
    return () => this.syncListeners.delete(listener);
  }

  view(clusterId: string): ClusterView | null {
    const watch = this.watches.get(clusterId);
    if (!watch || !this.synced(clusterId)) return null;
    return {
      get: (ref) => {
        const hit = watch.kinds.get(`${ref.apiVersion}/${ref.kind}`)?.get(ref.metadata.namespace, ref.metadata.name);
        if (hit) return hit;
        // Applied a moment ago and not echoed by the watch yet: it exists as applied.
        const expected = watch.expected.get(keyOf(ref));
        return expected === undefined ? undefined : { h: expected, rv: '', env: undefined };
      },
      applied: (ref, hash) => void watch.expected.set(keyOf(ref), hash),
      deleting: (ref) => {
        // Only what is there will send a DELETED event (which removes the mark again).
        if (watch.kinds.get(`${ref.apiVersion}/${ref.kind}`)?.get(ref.metadata.namespace, ref.metadata.name)) watch.deleting.add(keyOf(ref));
      },
    };
  }

  /** The slim Deployments and Pods of an environment, when the cluster's cache is complete. */
  liveStatus(clusterId: string, namespace: string, environmentId: string): { deployments: KubeObject[]; pods: KubeObject[] } | null {
    const watch = this.watches.get(clusterId);
    if (!watch || !this.synced(clusterId)) return null;
    const deployments = [...(watch.kinds.get('apps/v1/Deployment')?.inNamespace(namespace).values() ?? [])]
      .filter((d) => d.env === environmentId && d.status)
      .map((d) => d.status!);
    const pods = [...watch.pods.inNamespace(namespace).values()].filter((p) => p.metadata.labels?.[ENV_LABEL] === environmentId);
    return { deployments, pods };
  }

  /** Lists and watches started per cluster name (tests: a quiet resync starts none). */
  counts(): Record<string, { lists: number; watches: number; relists: number }> {
    const out: Record<string, { lists: number; watches: number; relists: number }> = {};
    for (const watch of this.watches.values()) {
      const total = { lists: 0, watches: 0, relists: 0 };
      for (const informer of [...watch.kinds.values(), watch.pods]) {
        total.lists += informer.counts.lists;
        total.watches += informer.counts.watches;
        total.relists += informer.counts.relists;
      }
      out[watch.name] = total;
    }
    return out;
  }

  private managedChanged(watch: ClusterWatch, kind: string, key: string, before: CachedObject | undefined, after: CachedObject | undefined): void {
    const env = (after ?? before)?.env;
    if (kind === 'Deployment' && JSON.stringify(before?.status) !== JSON.stringify(after?.status)) this.look(watch, env);
    if (!after) {
      // Gone: drift unless Berth deleted it.
      watch.expected.delete(key);
      if (!watch.deleting.delete(key)) this.drifted(env);
      return;
    }
    if (after.terminating && !before?.terminating) {
      if (!watch.deleting.has(key)) this.drifted(env);
      return;
    }
    const expected = watch.expected.get(key);
    if (expected !== undefined && after.h === expected) {
      watch.expected.delete(key);
      return;
    }
    if (before && before.h !== after.h) this.drifted(env);
  }

  /** Queues a reconcile (compare and repair) of an environment whose objects changed under it. */
  private drifted(environmentId: string | undefined): void {
    if (!environmentId || this.pendingDrift.has(environmentId) || this.stopped) return;
    this.pendingDrift.add(environmentId);
    this.driftNoticed += 1;
    // A namespace deletion removes every object in it: one reconcile for the burst.
    setTimeout(() => {
      this.pendingDrift.delete(environmentId);
      void this.queue
        .enqueue(RECONCILE_TASK, { environmentId, resync: true, jobKey: `reconcile:${environmentId}` }, { jobKey: `reconcile:${environmentId}` })
        .catch((err: unknown) => this.logger.warn({ err, environmentId }, 'could not queue a drift repair'));
    }, 100).unref();
  }

  /**
   * Coalesces bursts (a rollout changes many pods) into one status look per environment, and the
   * looks of a cluster's environments that changed within LOOK_DEBOUNCE_MS into batch looks (one
   * job, one statement reading them, one settling them: thousands of environments roll out at once
   * after a start or a team's change).
   */
  private look(watch: ClusterWatch, environmentId: string | undefined): void {
    if (!environmentId || this.stopped) return;
    const pending = this.pendingLook.get(watch.clusterId);
    if (pending) pending.add(environmentId);
    else this.pendingLook.set(watch.clusterId, new Set([environmentId]));
    this.lookTimer ??= setTimeout(() => this.queueLooks(), LOOK_DEBOUNCE_MS).unref();
  }

  private queueLooks(): void {
    this.lookTimer = undefined;
    const jobs = [...this.pendingLook].flatMap(([clusterId, ids]) => lookJobs(clusterId, [...ids]));
    this.pendingLook.clear();
    void this.queue.enqueueMany(jobs).catch((err: unknown) => this.logger.warn({ err, jobs: jobs.length }, 'could not queue status looks'));
  }

  private async placeWaiting(): Promise<void> {
    for (const environmentId of await this.workloads.unplacedEnvironmentIds()) {
      await this.queue.enqueue(RECONCILE_TASK, { environmentId, resync: true, jobKey: `reconcile:${environmentId}` }, { jobKey: `reconcile:${environmentId}` });
    }
  }
}

function stopWatch(watch: ClusterWatch): void {
  for (const informer of watch.kinds.values()) informer.stop();
  watch.pods?.stop();
}

function keyOf(ref: Ref): string {
  return `${ref.apiVersion}/${ref.kind}/${ref.metadata.namespace ?? ''}/${ref.metadata.name}`;
}

function keptLabels(labels: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of KEPT_LABELS) if (labels?.[name] !== undefined) out[name] = labels[name];
  return out;
}

function cached(object: KubeObject): CachedObject {
  const meta = object.metadata as KubeObject['metadata'] & { deletionTimestamp?: string; generation?: number };
  return {
    h: liveHash(object),
    rv: meta.resourceVersion ?? '',
    env: meta.labels?.[ENV_LABEL],
    ...(meta.deletionTimestamp ? { terminating: true as const } : {}),
    ...(object.kind === 'Deployment' ? { status: slimDeployment(object) } : {}),
  };
}

/** The fields release-status.ts reads of a Deployment. */
function slimDeployment(d: KubeObject): KubeObject {
  const spec = (d.spec ?? {}) as { replicas?: number; template?: { metadata?: { annotations?: Record<string, string> } } };
  const release = spec.template?.metadata?.annotations?.['berth.dev/release'];
  const meta = d.metadata as KubeObject['metadata'] & { generation?: number };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: meta.name, namespace: meta.namespace, labels: keptLabels(meta.labels), generation: meta.generation },
    spec: { replicas: spec.replicas, template: { metadata: { annotations: release === undefined ? {} : { 'berth.dev/release': release } } } },
    status: d.status ?? {},
  };
}

interface ContainerStatusLike {
  name?: string;
  image?: string;
  ready?: boolean;
  restartCount?: number;
  state?: unknown;
  lastState?: unknown;
}

/** The fields release-status.ts reads of a Pod. */
function slimPod(p: KubeObject): KubeObject {
  const status = (p.status ?? {}) as { phase?: string; conditions?: Array<{ type: string; status: string; reason?: string; message?: string }>; containerStatuses?: ContainerStatusLike[]; initContainerStatuses?: ContainerStatusLike[] };
  const containers = (list: ContainerStatusLike[] | undefined) => list?.map((c) => ({ name: c.name, image: c.image, ready: c.ready, restartCount: c.restartCount, state: c.state, lastState: c.lastState }));
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: p.metadata.name, namespace: p.metadata.namespace, labels: keptLabels(p.metadata.labels) },
    status: {
      phase: status.phase,
      conditions: status.conditions?.map((c) => ({ type: c.type, status: c.status, reason: c.reason, message: c.message })),
      containerStatuses: containers(status.containerStatuses),
      initContainerStatuses: containers(status.initContainerStatuses),
    },
  };
}
