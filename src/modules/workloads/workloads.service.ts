// The workloads jobs (reconcile, clean up a namespace, observe) and the periodic resync. Features say
// "this environment changed" through EnvironmentEvents (queued-environment-events.ts), not here.
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { BERTH_CONFIG, type BerthConfig } from '../../config/config.js';
import { TransactionHost } from '../../database/prisma.service.js';
import { MetricsService } from '../../common/metrics/metrics.service.js';
import { backoffMs, RetryLater, retryOf, WorkQueueService } from '../work-queue/work-queue.service.js';
import type { JobRequest } from '../work-queue/job-specs.js';
import { entryOwnedHash, ReconcilerService, type ReconcileOutcome } from './reconciler.service.js';
import { CLEANUP_TASK, OBSERVE_BATCH_TASK, OBSERVE_TASK, RECONCILE_BATCH_TASK, RECONCILE_TASK, RESYNC_BATCH_TASK } from './tasks.js';
import { lookJob, lookJobs } from './look-jobs.js';
import { ClusterInformers } from './cluster-informers.service.js';
import { ClusterOwnership } from './cluster-ownership.port.js';
import { parseObjectKey } from './drift.js';
import { StatusObserverService } from './status-observer.service.js';
import { WorkloadsRepository } from './workloads.repository.js';

@Injectable()
export class WorkloadsService implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Workloads');
  private resyncTimer: NodeJS.Timeout | undefined;
  /** Clusters the start-up resync covered: their first complete cache needs no second resync. */
  private readonly coveredAtStart = new Set<string>();

  constructor(
    private readonly repository: WorkloadsRepository,
    private readonly reconciler: ReconcilerService,
    private readonly observer: StatusObserverService,
    private readonly queue: WorkQueueService,
    private readonly tx: TransactionHost,
    private readonly metrics: MetricsService,
    @Inject(BERTH_CONFIG) private readonly config: BerthConfig,
    private readonly informers: ClusterInformers,
    private readonly ownership: ClusterOwnership,
  ) {}

  onModuleInit(): void {
    this.queue.register(RECONCILE_TASK, async (payload) => {
      try {
        this.reported(String(payload.environmentId), await this.reconciler.reconcile(String(payload.environmentId), { resync: payload.resync === true, attempt: typeof payload.attempt === 'number' ? payload.attempt : 0 }));
      } catch (error) {
        this.metrics.reconcile.inc({ outcome: 'error' });
        throw error;
      }
    });
    this.queue.register(CLEANUP_TASK, async (payload) => {
      await this.reconciler.removeNamespace(String(payload.clusterId), String(payload.namespace));
    });
    // Applying what users asked for comes first: when reconciles queue up (a start, a mass change),
    // status looks wait for them rather than take turns with them. A look is only ever late, never
    // lost, and the status it would write says "applying" with its reason meanwhile.
    this.queue.register(
      OBSERVE_TASK,
      async (payload, attempt) => {
        await this.observer.observe(String(payload.environmentId), attempt);
      },
      { priority: 1 },
    );
    this.queue.register(
      OBSERVE_BATCH_TASK,
      async (payload) => {
        const ids = Array.isArray(payload.environmentIds) ? payload.environmentIds.map(String) : [];
        // Held like the environments' own look jobs: no look of the same environment runs meanwhile.
        const alone = await this.queue.serially(
          ids.map((id) => `observe:${id}`),
          () => this.observer.observeMany(ids),
        );
        if (alone.length) await this.tx.run(() => this.queue.enqueueMany(alone.map((id) => lookJob(id))));
      },
      { priority: 1 },
    );
    // A cluster whose cache just became complete (at start, or newly owned) is compared at once.
    // A cluster this replica took over (not one the start-up resync already covers) is re-verified
    // once its cache is complete.
    this.informers.onSynced((clusterId) => {
      if (this.coveredAtStart.delete(clusterId)) return;
      void this.resyncClusters([clusterId], true, 'resync-takeover').catch((err: unknown) => this.logger.warn({ err, clusterId }, 'could not queue a resync'));
    });
    this.queue.register(RECONCILE_BATCH_TASK, async (payload) => {
      await this.reconcileMany(Array.isArray(payload.environmentIds) ? payload.environmentIds.map(String) : []);
    });
    this.queue.register(RESYNC_BATCH_TASK, async (payload) => {
      await this.resyncBatch(Array.isArray(payload.environmentIds) ? payload.environmentIds.map(String) : [], payload.reverify === true);
    });
    if (this.config.workersEnabled) {
      // Every replica schedules resyncs; job keys coalesce the duplicates.
      this.resyncTimer = setInterval(() => void this.resyncAll(false).catch((err: unknown) => this.logger.warn({ err }, 'resync scheduling failed')), this.config.resyncIntervalMs);
      this.resyncTimer.unref();
    }
  }

  /**
   * After a (re)start nothing observed before is trusted: a cluster may have lost or changed objects
   * while Berth was down. Every environment's status is marked unverified, each is resynced (missing
   * objects re-created) and looked at again right away rather than at the next resync.
   */
  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.workersEnabled) return;
    await this.reverifyAll().catch((err: unknown) => this.logger.warn({ err }, 'could not queue the start-up re-verification'));
  }

  async reverifyAll(): Promise<number> {
    await this.repository.markAllUnverified();
    return this.resyncAll(true);
  }

  onApplicationShutdown(): void {
    if (this.resyncTimer) clearInterval(this.resyncTimer);
  }

  /**
   * Compares every environment of the clusters this replica owns with its cluster and repairs
   * drift. The work is queued in batches (one job per BATCH environments, each its own
   * transaction), spread over a quarter of the interval for the periodic resync, so no single
   * transaction or burst covers everything.
   */
  async resyncAll(reverify = true): Promise<number> {
    const owned = [...this.ownership.owned()];
    if (reverify) for (const id of owned) this.coveredAtStart.add(id);
    return this.resyncClusters(owned, reverify, 'resync-batch');
  }

  /**
   * Batch jobs are per cluster and keyed (`<prefix>:<cluster>:<n>`), so asking again while a resync
   * is still queued replaces it rather than doubling it. Each carries its cluster's id, so the work
   * queue routes it to the replica owning that cluster (whose informers hold the cache it compares).
   */
  private async resyncClusters(clusterIds: string[], reverify: boolean, keyPrefix: string): Promise<number> {
    const rows = await this.repository.environmentIdsFor(clusterIds);
    const byCluster = new Map<string | null, string[]>();
    for (const row of rows) byCluster.set(row.clusterId, [...(byCluster.get(row.clusterId) ?? []), row.id]);
    for (const [clusterId, ids] of byCluster) {
      const batches = Math.ceil(ids.length / RESYNC_BATCH);
      const spreadMs = reverify ? 0 : Math.min(this.config.resyncIntervalMs / 4, batches * 1000);
      for (let b = 0; b < batches; b += 1) {
        const environmentIds = ids.slice(b * RESYNC_BATCH, (b + 1) * RESYNC_BATCH);
        const runAt = new Date(Date.now() + (batches > 1 ? Math.floor((spreadMs * b) / (batches - 1)) : 0));
        const jobKey = `${keyPrefix}:${clusterId ?? 'unplaced'}:${b}`;
        await this.tx.run(() => this.queue.enqueue(RESYNC_BATCH_TASK, { environmentIds, reverify, jobKey, ...(clusterId ? { clusterId } : {}) }, { runAt, jobKey }));
      }
    }
    return rows.length;
  }

  /**
   * One batch of a resync: environments whose every applied object the informer cache shows with
   * the owned-fields hash Berth applied are in sync and cost nothing more (no Kubernetes request, no
   * write); the others — changed, drifted, unplaced, being deleted, or on a cluster whose cache is
   * not complete — are reconciled. Those on a cluster this replica owns are reconciled here, together
   * (reconcileTogether); the others get a job each. With `reverify` (after a start), each also gets
   * a status look.
   */
  async resyncBatch(environmentIds: string[], reverify: boolean): Promise<{ inSync: number; queued: number; reconciled: number }> {
    const states = await this.repository.syncStates(environmentIds);
    // Informers still listing a cluster at start: compare once they are done rather than read everything.
    for (const clusterId of new Set(states.map((s) => s.clusterId))) {
      if (clusterId && this.informers.state(clusterId) === 'starting') await this.informers.whenSynced(clusterId, 30_000);
    }
    const jobs: JobRequest[] = [];
    const here: Placed[] = [];
    const looks = new Map<string, string[]>();
    let inSync = 0;
    for (const s of states) {
      const reconcile = this.needsReconcile(s);
      if (!reconcile) inSync += 1;
      else if (this.reconcilesHere(s)) {
        here.push({ id: s.id, clusterId: s.clusterId! });
        // Reconciled here: its look follows its outcome (an apply queues one itself).
        continue;
      } else jobs.push(reconcileJob(s.id, { resync: true }));
      if (reverify && s.clusterId && s.state !== 'deleting') append(looks, s.clusterId, s.id);
    }
    for (const [clusterId, ids] of looks) jobs.push(...lookJobs(clusterId, ids, 500));
    if (jobs.length) await this.tx.run(() => this.queue.enqueueMany(jobs));
    this.metrics.reconcile.inc({ outcome: 'in-sync' }, inSync);
    const after = await this.reconcileTogether(here, { reverify, resync: true });
    return { inSync, queued: jobs.length + after, reconciled: here.length - after };
  }

  /**
   * A change many environments render from (a team's, a cluster's): those on clusters this replica
   * owns are reconciled together, at once (reconcileTogether), the others get a job each (routed to
   * their cluster's owner).
   */
  async reconcileMany(environmentIds: string[]): Promise<{ reconciled: number; queued: number }> {
    const states = await this.repository.syncStates(environmentIds);
    const here: Placed[] = [];
    const jobs: JobRequest[] = [];
    for (const s of states) {
      if (this.reconcilesHere(s)) here.push({ id: s.id, clusterId: s.clusterId! });
      else jobs.push(reconcileJob(s.id, { resync: false }));
    }
    if (jobs.length) await this.tx.run(() => this.queue.enqueueMany(jobs));
    const after = await this.reconcileTogether(here, { reverify: false, resync: false });
    return { reconciled: here.length - after, queued: jobs.length + after };
  }

  private reconcilesHere(s: { clusterId: string | null; state: string }): boolean {
    return s.clusterId !== null && s.state === 'active' && this.ownership.owned().has(s.clusterId);
  }

  /**
   * Reconciles environments of clusters this replica owns in chunks, each chunk as one batch
   * (ReconcilerService.reconcileBatch: one statement reads the chunk, one records its applies,
   * instead of a job, a read and a record per environment) while holding the chunk's reconcile job
   * keys, so no reconcile job of the same environment runs meanwhile. An environment the batch could
   * not finish (a cluster error, the lease lost) gets its own job, retried as any reconcile, its
   * status already saying why. Answers how many got a job.
   */
  private async reconcileTogether(environments: readonly Placed[], options: { reverify: boolean; resync: boolean }): Promise<number> {
    let queued = 0;
    for (let i = 0; i < environments.length; i += RECONCILE_CHUNK) {
      const chunk = environments.slice(i, i + RECONCILE_CHUNK);
      const ids = chunk.map((e) => e.id);
      const results = await this.queue.serially(
        ids.map((id) => `reconcile:${id}`),
        () => this.reconciler.reconcileBatch(ids, { resync: options.resync }),
      );
      const later: JobRequest[] = [];
      const looks = new Map<string, string[]>();
      for (const { id: environmentId, clusterId } of chunk) {
        const outcome = results.get(environmentId)!;
        if (outcome instanceof Error) {
          this.metrics.reconcile.inc({ outcome: 'error' });
          const retry = outcome instanceof RetryLater ? retryOf({}, 0, outcome) : { delayMs: backoffMs(0) };
          if (!(outcome instanceof RetryLater && outcome.expected)) this.logger.warn({ environmentId, err: outcome, delayMs: retry.delayMs }, 'reconcile in a batch failed; it gets a job of its own');
          later.push(reconcileJob(environmentId, { resync: options.resync, delayMs: retry.delayMs }));
          if (options.reverify) append(looks, clusterId, environmentId);
          continue;
        }
        this.reported(environmentId, outcome);
        if (options.reverify && outcome.result !== 'applied' && outcome.result !== 'repaired' && outcome.result !== 'missing') append(looks, clusterId, environmentId);
      }
      for (const [clusterId, ids] of looks) later.push(...lookJobs(clusterId, ids, 500));
      if (later.length) await this.tx.run(() => this.queue.enqueueMany(later));
      queued += later.filter((j) => j.task === RECONCILE_TASK).length;
    }
    return queued;
  }

  private reported(environmentId: string, outcome: ReconcileOutcome): void {
    this.metrics.reconcile.inc({ outcome: outcome.result });
    if (outcome.drifted.length) this.metrics.driftRepairs.inc({ kind: 'object' }, outcome.drifted.length);
    if (outcome.result !== 'in-sync') this.logger.log({ environmentId, ...outcome }, 'reconciled');
  }

  private needsReconcile(s: { clusterId: string | null; state: string; desiredGeneration: number; appliedGeneration: number; appliedObjects: string[] }): boolean {
    if (!s.clusterId || s.state === 'deleting' || s.appliedGeneration < s.desiredGeneration || s.appliedObjects.length === 0) return true;
    // Another replica owns that cluster now: its resync covers the environment.
    if (this.informers.state(s.clusterId) === 'not-watched' && !this.ownership.owned().has(s.clusterId)) return false;
    const view = this.informers.view(s.clusterId);
    if (!view) return true;
    return s.appliedObjects.some((entry) => {
      const hash = entryOwnedHash(entry);
      const cached = hash ? view.get(parseObjectKey(entry.slice(0, entry.indexOf('#')))) : undefined;
      return !cached || cached.terminating || cached.h !== hash;
    });
  }
}

/** Environments compared per resync job. */
const RESYNC_BATCH = 500;
/**
 * Environments a resync job reconciles together (contexts read in one statement, applies recorded
 * in one), all at once: their requests queue per cluster in the gateway.
 */
const RECONCILE_CHUNK = 50;

/** An environment and the cluster it is on. */
interface Placed {
  id: string;
  clusterId: string;
}

function append(map: Map<string, string[]>, key: string, value: string): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** An environment's own reconcile job (keyed, so it coalesces with any other asked meanwhile). */
function reconcileJob(environmentId: string, options: { resync: boolean; delayMs?: number }): JobRequest {
  const jobKey = `reconcile:${environmentId}`;
  return { task: RECONCILE_TASK, payload: { environmentId, ...(options.resync ? { resync: true } : {}), jobKey }, options: { jobKey, ...(options.delayMs ? { runAt: new Date(Date.now() + options.delayMs) } : {}) } };
}

