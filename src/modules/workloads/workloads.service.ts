// The workloads jobs (reconcile, clean up a namespace, observe) and the periodic resync. Features say
// "this environment changed" through EnvironmentEvents (queued-environment-events.ts), not here.
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { BERTH_CONFIG, type BerthConfig } from '../../config/config.js';
import { TransactionHost } from '../../database/prisma.service.js';
import { MetricsService } from '../../common/metrics/metrics.service.js';
import { WorkQueueService } from '../work-queue/work-queue.service.js';
import { CLEANUP_TASK, OBSERVE_TASK, RECONCILE_TASK, ReconcilerService } from './reconciler.service.js';
import { StatusObserverService } from './status-observer.service.js';
import { WorkloadsRepository } from './workloads.repository.js';

@Injectable()
export class WorkloadsService implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Workloads');
  private resyncTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly repository: WorkloadsRepository,
    private readonly reconciler: ReconcilerService,
    private readonly observer: StatusObserverService,
    private readonly queue: WorkQueueService,
    private readonly tx: TransactionHost,
    private readonly metrics: MetricsService,
    @Inject(BERTH_CONFIG) private readonly config: BerthConfig,
  ) {}

  onModuleInit(): void {
    this.queue.register(RECONCILE_TASK, async (payload) => {
      try {
        const outcome = await this.reconciler.reconcile(String(payload.environmentId), { resync: payload.resync === true, attempt: typeof payload.attempt === 'number' ? payload.attempt : 0 });
        this.metrics.reconcile.inc({ outcome: outcome.result });
        if (outcome.drifted.length) this.metrics.driftRepairs.inc({ kind: 'object' }, outcome.drifted.length);
        if (outcome.result !== 'in-sync') this.logger.log({ environmentId: payload.environmentId, ...outcome }, 'reconciled');
      } catch (error) {
        this.metrics.reconcile.inc({ outcome: 'error' });
        throw error;
      }
    });
    this.queue.register(CLEANUP_TASK, async (payload) => {
      await this.reconciler.removeNamespace(String(payload.clusterId), String(payload.namespace));
    });
    this.queue.register(OBSERVE_TASK, async (payload, attempt) => {
      await this.observer.observe(String(payload.environmentId), attempt);
    });
    if (this.config.workersEnabled) {
      // Every replica schedules resyncs; job keys coalesce the duplicates.
      this.resyncTimer = setInterval(() => void this.resyncAll().catch((err: unknown) => this.logger.warn({ err }, 'resync scheduling failed')), this.config.resyncIntervalMs);
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
    const ids = await this.repository.activeEnvironmentIds();
    await this.tx.run(async () => {
      for (const environmentId of ids) {
        await this.queue.enqueue(RECONCILE_TASK, { environmentId, resync: true, jobKey: `reconcile:${environmentId}` }, { jobKey: `reconcile:${environmentId}` });
        await this.queue.enqueue(OBSERVE_TASK, { environmentId, jobKey: `observe:${environmentId}` }, { jobKey: `observe:${environmentId}`, runAt: new Date(Date.now() + 500) });
      }
    });
    return ids.length;
  }

  onApplicationShutdown(): void {
    if (this.resyncTimer) clearInterval(this.resyncTimer);
  }

  /** Compares every environment with its cluster and repairs drift. */
  async resyncAll(): Promise<number> {
    const ids = await this.repository.activeEnvironmentIds();
    await this.tx.run(async () => {
      for (const environmentId of ids) {
        await this.queue.enqueue(RECONCILE_TASK, { environmentId, resync: true, jobKey: `reconcile:${environmentId}` }, { jobKey: `reconcile:${environmentId}` });
      }
    });
    return ids.length;
  }
}
