// Brings one environment's cluster in line with what Berth wants, as a linear checklist:
//   1. load the environment; gone → nothing to do
//   2. deleting → delete the namespace, and the record once the cluster confirms
//   3. place it on a cluster if it has none
//   4. render the desired objects
//   5. apply what changed, independent objects concurrently (a resync compares owned-fields hashes
//      with the cluster's informer cache and applies only what drifted: no reads, no writes)
//   6. prune what was applied before and is no longer rendered
//   7. record the applied generation; the status observer takes it from there
import { createHash } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import DataLoader from 'dataloader';
import { canonicalJson } from '../../common/json/canonical-json.js';
import { EncryptionService } from '../../common/crypto/encryption.service.js';
import { TransactionHost } from '../../database/prisma.service.js';
import type { KubeGateway, KubeObject } from '../clusters/kube/kube-gateway.js';
import { KubeError } from '../clusters/kube/kube-errors.js';
import { KubeClients } from '../clusters/kube/kube-clients.service.js';
import { RetryLater, WorkQueueService } from '../work-queue/work-queue.service.js';
import { isSubset, objectKey, parseObjectKey } from './drift.js';
import { applyRank } from './render/object-key.js';
import { buildRenderInput, type QuotaRow } from './render-input.js';
import { renderEnvironment, retainedSecretNames } from './render/render-environment.js';
import type { RenderInput } from './render/render.types.js';
import { WorkloadsRepository, type EnvironmentState, type ReconcileContext, type ReleaseState } from './workloads.repository.js';
import { PlacementPort } from './placement.port.js';
import { PullSecretPort } from './pull-secret.port.js';
import { isTerminal, type PhaseStatus } from '../releases/release-phase.js';
import { labelsOf } from '../clusters/placement.service.js';
import { profileOf, profileRefusal } from './render/security.js';
import { ReleaseStatusWriter, type Settling } from './release-status-writer.js';
import { ClusterFence, NotClusterOwner, type ClusterLease } from './cluster-fence.port.js';
import { fencedGateway } from './fenced-gateway.js';
import { ClusterInformers, type ClusterView } from './cluster-informers.service.js';
import { desiredHash } from './owned-hash.js';
import { RECONCILE_TASK } from './tasks.js';
import { lookJobs } from './look-jobs.js';

export { RECONCILE_TASK, OBSERVE_TASK, CLEANUP_TASK } from './tasks.js';

export interface ReconcileOutcome {
  result: 'applied' | 'in-sync' | 'repaired' | 'deleted' | 'deleting' | 'missing' | 'unplaced' | 'refused';
  writes: number;
  drifted: string[];
}

@Injectable()
export class ReconcilerService {
  private readonly logger = new Logger('Reconciler');

  constructor(
    private readonly repository: WorkloadsRepository,
    private readonly clients: KubeClients,
    private readonly encryption: EncryptionService,
    private readonly queue: WorkQueueService,
    private readonly tx: TransactionHost,
    private readonly placement: PlacementPort,
    private readonly pullSecrets: PullSecretPort,
    private readonly status: ReleaseStatusWriter,
    private readonly fence: ClusterFence,
    private readonly informers: ClusterInformers,
  ) {}

  async reconcile(environmentId: string, options: { resync: boolean; attempt?: number }): Promise<ReconcileOutcome> {
    const context = await this.repository.loadReconcile(environmentId);
    if (!context) return { result: 'missing', writes: 0, drifted: [] };
    return this.reconcileLoaded(context, options, { record: (apply) => this.recordApplied(apply), settle: (state, newest, status) => this.status.settle(state, newest, status) });
  }

  /**
   * Reconciles environments together (a resync found them out of sync, or a change reaches them
   * all): their contexts read in one statement, each environment's checklist run concurrently
   * (requests bounded per cluster by the gateway), and their applies recorded in one statement
   * (ApplyBatch). The caller holds the environments' job keys (nothing else reconciles them
   * meanwhile). Answers each environment's outcome, or what stopped it: the caller gives those a
   * job of their own, which retries as any reconcile.
   */
  async reconcileBatch(environmentIds: readonly string[], options: { resync: boolean } = { resync: true }): Promise<Map<string, ReconcileOutcome | Error>> {
    const contexts = await this.repository.loadReconciles(environmentIds);
    const results = new Map<string, ReconcileOutcome | Error>(environmentIds.map((id) => [id, { result: 'missing', writes: 0, drifted: [] }]));
    const batch = new ApplyBatch(contexts.length, (applies) => this.recordApplies(applies));
    // The settles the reconciles make in one turn (every one marks its release "applying" at once)
    // become one statement. Each environment of the batch settles at most once per turn: it awaits
    // its settle before going on.
    const settles = new DataLoader<Settling, boolean>(
      async (items) => {
        const changed = await this.status.settleMany(items);
        return items.map((item) => changed.has(item.state.id));
      },
      { cache: false },
    );
    const sink: ReconcileSink = { record: (apply) => batch.record(apply), settle: (state, newest, status) => settles.load({ state, newest, status }) };
    await Promise.all(
      contexts.map(async (context) => {
        try {
          results.set(context.state.id, await this.reconcileLoaded(context, options, sink));
        } catch (error) {
          results.set(context.state.id, error instanceof Error ? error : new Error(String(error)));
        } finally {
          batch.leave();
        }
      }),
    );
    return results;
  }

  private async reconcileLoaded(context: ReconcileContext, options: { resync: boolean; attempt?: number }, sink: ReconcileSink): Promise<ReconcileOutcome> {
    const { state, cluster } = context;
    if (!state.clusterId) {
      if (state.state === 'deleting') return this.forget(state);
      const placed = await this.placement.choose(state);
      if (placed.clusterId === null) return this.unplaced(state, placed.reason, options.attempt ?? 0);
      await this.repository.setCluster(state.teamId, state.id, placed.clusterId);
      return this.reconcile(state.id, options);
    }
    if (!cluster) throw new Error(`cluster ${state.clusterId} is not registered`);
    // Only the cluster's owner works on it, and writes only while its lease holds (docs/architecture.md).
    const lease = await this.fence.enter(cluster.id);
    const gateway = fencedGateway(this.clients.forCluster(cluster), lease);
    try {
      if (state.state === 'deleting') return await this.delete(state, gateway);
      const upToDate = state.appliedGeneration >= state.desiredGeneration;
      if (upToDate && !options.resync) return { result: 'in-sync', writes: 0, drifted: [] };
      const releases = context.releases;
      const newest = releases[0] ?? null;
      const refusal = profileRefusal(profileOf(state.securityProfile), cluster.name, labelsOf(cluster.labels));
      if (refusal) {
        await sink.settle(state, newest, { phase: 'failed', reason: 'security_profile_not_allowed', message: refusal });
        return { result: 'refused', writes: 0, drifted: [] };
      }
      // The informer cache answers when it is complete; else the cluster is asked. A namespace
      // applied before that the cache does not show is read too: a complete cache can lag the
      // cluster by a watch event (a replica that just took the cluster over), and "gone" would
      // re-apply everything in it.
      const view = this.informers.view(cluster.id);
      const cachedNamespace = view ? fromCache(view, namespaceRef(state)) : null;
      const namespace = cachedNamespace ?? (!view || state.appliedObjects.length ? await gateway.get(namespaceRef(state)) : null);
      if (namespace && (namespace.metadata as { deletionTimestamp?: string }).deletionTimestamp) {
        // Deleted by hand: nothing can be created in it until it is gone; then it is re-created.
        const message = `namespace ${namespaceRef(state).metadata.name} is being deleted on cluster ${cluster.name} (not by Berth); Berth re-creates it and applies ${newest ? `v${newest.number}` : 'the environment'} once it is gone`;
        await sink.settle(state, newest, { phase: 'applying', reason: 'namespace_terminating', message });
        throw new RetryLater(message, 1000);
      }
      if (newest && newest.phase === 'pending' && !upToDate) {
        await sink.settle(state, newest, { phase: 'applying', reason: 'applying', message: `applying v${newest.number} to cluster ${cluster.name}` });
      }
      const input = await this.renderInput(state, releases, cluster.ingressClassName, context.quota, context.hasRegistryLogins);
      const desired = renderEnvironment(input) as KubeObject[];
      // A namespace that vanished took everything in it along: apply all of it again.
      const previous = new Set(namespace ? state.appliedObjects : []);
      if (!namespace && state.appliedObjects.length) await this.repository.recordDrift(state.teamId, state.id, objectKey(namespaceRef(state)), 'recreated');
      // Each object's applied entry (and owned-fields hash in it) is computed once, for the compare and the record.
      const entries = new Map(desired.map((object) => [object, appliedEntry(object)]));
      const { writes, drifted } = await this.apply(gateway, view, entries, upToDate && namespace ? 'verify-live' : 'changed-since-last-apply', previous);
      for (const key of drifted) await this.repository.recordDrift(state.teamId, state.id, key, 'repaired');
      const pruned = await this.prune(gateway, view, state, desired, input);
      const repaired = drifted.length > 0 || !namespace;
      if (!newest && (!upToDate || repaired)) {
        // Nothing deployed yet: the environment's status says so (replacing any earlier placement reason).
        await sink.settle(state, null, { phase: 'succeeded', reason: null, message: `no release yet: the namespace, quota and policies are in place on cluster ${cluster.name}` });
      }
      lease.assertHeld();
      await sink.record({ state, entries, lease, observe: !upToDate || repaired });
      const result = !upToDate ? 'applied' : repaired ? 'repaired' : 'in-sync';
      return { result, writes: writes + pruned, drifted: !namespace && upToDate ? [objectKey(namespaceRef(state)), ...drifted] : drifted };
    } catch (error) {
      if (error instanceof KubeError) {
        await this.repository.recordSyncError(state.teamId, state.id, error.message);
        if (error.kind === 'unreachable' && state.state !== 'deleting') await this.status.unreachable(state, cluster.name, error.message);
        else if (state.state !== 'deleting') await this.status.applyFailed(state, cluster.name, error.message);
        throw new RetryLater(error.message, error.retryAfterMs);
      }
      throw error;
    } finally {
      lease.exit();
    }
  }

  /**
   * Records the apply if the lease still holds, with the look at what was applied queued in the same
   * statement: the look exists exactly when the apply is recorded, and nothing is recorded by a
   * replica that lost the cluster (the job goes back to the queue, for the owner).
   */
  private async recordApplied(apply: PendingApply): Promise<void> {
    const [outcome] = await this.recordApplies([apply]);
    if (outcome) throw outcome;
  }

  /**
   * Records applies made under one lease or several, each with its status look (one look per
   * cluster for a batch), in one statement; answers, per apply in order, undefined when recorded or
   * the NotClusterOwner that says why not.
   */
  private async recordApplies(applies: readonly PendingApply[]): Promise<Array<NotClusterOwner | undefined>> {
    const observed = new Map<string, string[]>();
    for (const a of applies) {
      if (!a.observe) continue;
      const ids = observed.get(a.lease.clusterId);
      if (ids) ids.push(a.state.id);
      else observed.set(a.lease.clusterId, [a.state.id]);
    }
    // One look for one environment, one batch look per cluster for a batch (lookJobs).
    const then = [...observed].flatMap(([clusterId, ids]) => lookJobs(clusterId, ids, 200));
    const records = applies.map(({ state, entries, lease }) => ({ teamId: state.teamId, environmentId: state.id, generation: state.desiredGeneration, appliedObjects: [...entries.values()], lease }));
    const recorded = await this.repository.recordApplied(records, then.length ? this.queue.specs(then) : null);
    // A look dropped because a worker was claiming the previous one (graphile/worker#580).
    const done = new Set(recorded.recorded);
    await this.queue.resendDropped(then.filter((j) => typeof j.payload.environmentId === 'string' && done.has(j.payload.environmentId)), recorded.queued);
    return applies.map((a) => (recorded.held.has(`${a.lease.clusterId}/${a.lease.epoch}`) ? undefined : new NotClusterOwner(a.lease.clusterId, `lease epoch ${a.lease.epoch} is no longer this replica's; nothing recorded`, 0)));
  }

  /**
   * No registered cluster fits: the environment and its newest release say why, and the reconcile
   * is tried again (every 30 s at most, and at every resync) until a matching cluster appears.
   */
  private async unplaced(state: EnvironmentState, message: string, attempt: number): Promise<ReconcileOutcome> {
    const newest = await this.repository.newestRelease(state.teamId, state.id);
    await this.status.settle(state, newest, { phase: 'pending', reason: 'no_matching_cluster', message });
    const delay = Math.min(30_000, 1000 * 2 ** Math.min(attempt, 5));
    await this.queue.enqueue(RECONCILE_TASK, { environmentId: state.id, resync: true, attempt: attempt + 1, jobKey: `reconcile:${state.id}` }, { jobKey: `reconcile:${state.id}`, runAt: new Date(Date.now() + delay) });
    return { result: 'unplaced', writes: 0, drifted: [] };
  }

  /**
   * After a change, applies only objects whose rendering changed since the last apply (one write
   * each, nothing else). On a resync, compares each object's owned-fields hash with the informer
   * cache and applies only what drifted; a hash that differs, or an object the cache lacks, is
   * confirmed with one GET first (a server's normalisation or a watch event still on its way is
   * never mistaken for drift), and without a complete cache each object is read. Objects of one
   * apply phase go concurrently (bounded per cluster by the gateway).
   */
  private async apply(gateway: KubeGateway, view: ClusterView | null, entries: ReadonlyMap<KubeObject, string>, mode: 'changed-since-last-apply' | 'verify-live', previous: ReadonlySet<string>): Promise<{ writes: number; drifted: string[] }> {
    let writes = 0;
    const drifted: string[] = [];
    const one = async (object: KubeObject): Promise<void> => {
      const entry = entries.get(object)!;
      if (mode === 'changed-since-last-apply' && previous.has(entry)) return;
      const hash = entryOwnedHash(entry)!;
      if (mode === 'verify-live') {
        const cached = view?.get(object);
        if (cached && !cached.terminating && cached.h === hash) return;
        // Confirmed with one read before it counts as drift: a hash that differs may be the
        // server's normalisation, and an object the cache lacks may only be a watch event away.
        const live = await gateway.get(object);
        if (live && isSubset(stripForCompare(object), live)) return;
        drifted.push(objectKey(object));
      }
      await gateway.apply(object);
      view?.applied(object, hash);
      writes += 1;
    };
    for (const phase of applyPhases([...entries.keys()])) await settleAll(phase.map(one));
    return { writes, drifted };
  }

  /** Deletes objects Berth applied earlier and no longer renders (a removed process type or domain). */
  private async prune(gateway: KubeGateway, view: ClusterView | null, state: EnvironmentState, desired: KubeObject[], input: RenderInput): Promise<number> {
    const keep = new Set(desired.map(objectKey));
    const retained = new Set(retainedSecretNames(input));
    let deletes = 0;
    for (const key of state.appliedObjects.map(entryKey)) {
      if (keep.has(key)) continue;
      const ref = parseObjectKey(key);
      if (ref.kind === 'Secret' && retained.has(ref.metadata.name)) {
        keep.add(key);
        continue;
      }
      view?.deleting(ref);
      await gateway.delete(ref);
      deletes += 1;
    }
    return deletes;
  }

  private async delete(state: EnvironmentState, gateway: KubeGateway): Promise<ReconcileOutcome> {
    const namespace = namespaceRef(state);
    // A release still moving will never run: it ends now, saying why, rather than with the record.
    const newest = await this.repository.newestRelease(state.teamId, state.id);
    if (newest && !isTerminal(newest.phase)) {
      await this.status.settle(state, newest, { phase: 'failed', reason: 'environment_deleted', message: `environment ${state.name} is being deleted; v${newest.number} will not run` });
    }
    const live = await gateway.get(namespace);
    if (live) {
      if (!(live as { metadata: { deletionTimestamp?: string } }).metadata.deletionTimestamp) await gateway.delete(namespace);
      // Keep the record until the cluster confirms the namespace and everything in it is gone.
      throw new RetryLater(`waiting for namespace ${namespace.metadata.name} to go`, 500);
    }
    return this.forget(state);
  }

  private async forget(state: EnvironmentState): Promise<ReconcileOutcome> {
    await this.tx.run(() => this.repository.deleteEnvironmentRecord(state.teamId, state.id));
    this.logger.log({ environmentId: state.id }, 'environment deleted');
    return { result: 'deleted', writes: 0, drifted: [] };
  }

  private async renderInput(state: EnvironmentState, [current, previous]: ReleaseState[], ingressClassName: string | null, quota: QuotaRow | null, hasRegistryLogins: boolean): Promise<RenderInput> {
    const imagePullSecret = current && hasRegistryLogins ? await this.pullSecrets.pullSecretFor(state.teamId, current.image) : null;
    const config = current ? this.encryption.decryptJson<Record<string, string>>(current.configCiphertext, current.id) : {};
    return buildRenderInput({
      state,
      release: current ? { ...current, config } : null,
      previous: previous ?? null,
      quota,
      ingressClassName,
      imagePullSecret,
    });
  }

  /** After a move: the old cluster's copy goes. Retried until the cluster confirms (or is gone). */
  async removeNamespace(clusterId: string, namespace: string): Promise<void> {
    const cluster = await this.repository.clusterOf(clusterId);
    if (!cluster) return;
    const gateway = this.clients.forCluster(cluster);
    const ref = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } };
    try {
      const live = await gateway.get(ref);
      if (!live) return;
      if (!(live as { metadata: { deletionTimestamp?: string } }).metadata.deletionTimestamp) await gateway.delete(ref);
    } catch (error) {
      if (error instanceof KubeError) throw new RetryLater(error.message, error.retryAfterMs);
      throw error;
    }
    throw new RetryLater(`waiting for namespace ${namespace} to go`, 500);
  }

  async gatewayFor(clusterId: string): Promise<KubeGateway> {
    const cluster = await this.repository.clusterOf(clusterId);
    if (!cluster) throw new Error(`cluster ${clusterId} is not registered`);
    return this.clients.forCluster(cluster);
  }
}

/**
 * Where a reconcile records its apply and settles its status: at once for one environment, in
 * shared statements for a batch.
 */
interface ReconcileSink {
  record(apply: PendingApply): Promise<void>;
  settle(state: EnvironmentState, newest: ReleaseState | null, status: PhaseStatus): Promise<boolean>;
}

/** An apply made, to be recorded (with a status look when `observe`) while its lease still holds. */
interface PendingApply {
  state: EnvironmentState;
  entries: ReadonlyMap<KubeObject, string>;
  lease: ClusterLease;
  observe: boolean;
}

/**
 * The applies of environments reconciled together, recorded with one statement: each reconcile
 * waits in `record` until every reconcile of the batch still running waits there too (the others
 * ended, with `leave`), then all are recorded at once and each learns whether its own was.
 */
export class ApplyBatch {
  private waiting: Array<{ apply: PendingApply; resolve: () => void; reject: (error: Error) => void }> = [];

  constructor(
    private running: number,
    private readonly flush: (applies: readonly PendingApply[]) => Promise<Array<Error | undefined>>,
  ) {}

  record(apply: PendingApply): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ apply, resolve, reject });
      this.maybeFlush();
    });
  }

  /** A reconcile of the batch is over (recorded, failed or with nothing to record). */
  leave(): void {
    this.running -= 1;
    this.maybeFlush();
  }

  private maybeFlush(): void {
    if (!this.waiting.length || this.waiting.length < this.running) return;
    const waiting = this.waiting;
    this.waiting = [];
    this.flush(waiting.map((w) => w.apply)).then(
      (outcomes) => waiting.forEach((w, i) => (outcomes[i] ? w.reject(outcomes[i]) : w.resolve())),
      (error: unknown) => waiting.forEach((w) => w.reject(error instanceof Error ? error : new Error(String(error)))),
    );
  }
}

function namespaceRef(state: EnvironmentState): KubeObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name: `${state.app.name}-${state.name}` } };
}

/**
 * What is remembered of an applied object: its key, a hash of what was sent (a rendering that
 * changed is applied again) and the hash of the fields Berth owns (what informers compare).
 */
export function appliedEntry(object: KubeObject): string {
  return `${objectKey(object)}#${createHash('sha256').update(canonicalJson(object)).digest('hex').slice(0, 16)}#${desiredHash(object)}`;
}

/** The owned-fields hash of an applied entry (undefined for entries from before it was recorded). */
export function entryOwnedHash(entry: string): string | undefined {
  const parts = entry.split('#');
  return parts.length >= 3 ? parts[2] : undefined;
}

/**
 * Apply order in three phases, each applied concurrently: the Namespace; what pods need before they
 * start (ServiceAccount, Secrets, quota, defaults, isolation); then the workloads and what routes to
 * or scales them.
 */
export function applyPhases(objects: KubeObject[]): KubeObject[][] {
  const phases: KubeObject[][] = [[], [], []];
  for (const object of objects) {
    const phase = object.kind === 'Namespace' ? 0 : applyRank(object) < applyRank({ apiVersion: 'apps/v1', kind: 'Deployment' }) ? 1 : 2;
    phases[phase]!.push(object);
  }
  return phases.filter((p) => p.length > 0);
}

/** Runs all, waits for all (none left running behind a failure), then throws the first failure. */
async function settleAll(work: Array<Promise<void>>): Promise<void> {
  const results = await Promise.allSettled(work);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}

/** A namespace as the cache knows it, shaped like what a GET returns (null when absent). */
function fromCache(view: ClusterView, ref: KubeObject): KubeObject | null {
  const cached = view.get(ref);
  if (!cached) return null;
  return { ...ref, metadata: { ...ref.metadata, ...(cached.terminating ? { deletionTimestamp: 'set' } : {}) } };
}

function entryKey(entry: string): string {
  const hash = entry.indexOf('#');
  return hash < 0 ? entry : entry.slice(0, hash);
}

/** Compare only what Berth sets: the Secret's data is write-only on purpose (never read back here). */
function stripForCompare(object: KubeObject): KubeObject {
  if (object.kind !== 'Secret') return object;
  const { data: _data, stringData: _stringData, ...rest } = object as KubeObject & { data?: unknown; stringData?: unknown };
  return rest as KubeObject;
}
