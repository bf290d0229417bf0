// Brings one environment's cluster in line with what Berth wants, as a linear checklist:
//   1. load the environment; gone → nothing to do
//   2. deleting → delete the namespace, and the record once the cluster confirms
//   3. place it on a cluster if it has none
//   4. render the desired objects
//   5. apply what changed (a resync GETs each object and applies only what drifted: no writes, no lists)
//   6. prune what was applied before and is no longer rendered
//   7. record the applied generation; the status observer takes it from there
import { createHash } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { canonicalJson } from '../audit/audit-chain.js';
import { EncryptionService } from '../../common/crypto/encryption.service.js';
import { TransactionHost } from '../../database/prisma.service.js';
import type { KubeGateway, KubeObject } from '../clusters/kube/kube-gateway.js';
import { KubeError } from '../clusters/kube/kube-errors.js';
import { KubeClients } from '../clusters/kube/kube-clients.service.js';
import { RetryLater, WorkQueueService } from '../work-queue/work-queue.service.js';
import { isSubset, objectKey, parseObjectKey } from './drift.js';
import { buildRenderInput } from './render-input.js';
import { renderEnvironment, retainedSecretNames } from './render/render-environment.js';
import type { RenderInput } from './render/render.types.js';
import { WorkloadsRepository, type EnvironmentState } from './workloads.repository.js';
import { PlacementPort } from './placement.port.js';
import { PullSecretPort } from './pull-secret.port.js';

export const RECONCILE_TASK = 'reconcile_environment';
export const OBSERVE_TASK = 'observe_environment';
export const CLEANUP_TASK = 'remove_namespace';

export interface ReconcileOutcome {
  result: 'applied' | 'in-sync' | 'repaired' | 'deleted' | 'deleting' | 'missing' | 'unplaced';
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
  ) {}

  async reconcile(environmentId: string, options: { resync: boolean }): Promise<ReconcileOutcome> {
    const state = await this.repository.loadEnvironment(environmentId);
    if (!state) return { result: 'missing', writes: 0, drifted: [] };
    if (!state.clusterId) {
      if (state.state === 'deleting') return this.forget(state);
      const clusterId = await this.placement.choose(state);
      // Nowhere to run yet: the next resync tries again once a cluster is registered.
      if (!clusterId) return { result: 'unplaced', writes: 0, drifted: [] };
      await this.repository.setCluster(state.teamId, state.id, clusterId);
      return this.reconcile(environmentId, options);
    }
    const gateway = await this.gatewayFor(state.clusterId);
    try {
      if (state.state === 'deleting') return await this.delete(state, gateway);
      const input = await this.renderInput(state);
      const desired = renderEnvironment(input) as KubeObject[];
      const upToDate = state.appliedGeneration >= state.desiredGeneration;
      if (upToDate && !options.resync) return { result: 'in-sync', writes: 0, drifted: [] };
      const previous = new Set(state.appliedObjects);
      const { writes, drifted } = await this.apply(gateway, desired, upToDate ? 'verify-live' : 'changed-since-last-apply', previous);
      for (const key of drifted) await this.repository.recordDrift(state.teamId, state.id, key, 'repaired');
      const pruned = await this.prune(gateway, state, desired, input);
      await this.repository.markApplied(state.teamId, state.id, state.desiredGeneration, desired.map(appliedEntry));
      if (!upToDate || drifted.length) await this.queue.enqueue(OBSERVE_TASK, { environmentId: state.id, jobKey: `observe:${state.id}` }, { jobKey: `observe:${state.id}`, runAt: new Date(Date.now() + 200) });
      const result = !upToDate ? 'applied' : drifted.length ? 'repaired' : 'in-sync';
      return { result, writes: writes + pruned, drifted };
    } catch (error) {
      if (error instanceof KubeError) {
        await this.repository.recordSyncError(state.teamId, state.id, error.message);
        throw new RetryLater(error.message, error.retryAfterMs);
      }
      throw error;
    }
  }

  /**
   * After a change, applies only objects whose rendering changed since the last apply (one write
   * each, nothing else). On a resync, reads each object and applies only what drifted from it.
   */
  private async apply(gateway: KubeGateway, desired: KubeObject[], mode: 'changed-since-last-apply' | 'verify-live', previous: ReadonlySet<string>): Promise<{ writes: number; drifted: string[] }> {
    let writes = 0;
    const drifted: string[] = [];
    for (const object of desired) {
      if (mode === 'changed-since-last-apply' && previous.has(appliedEntry(object))) continue;
      if (mode === 'verify-live') {
        const live = await gateway.get(object);
        if (live && isSubset(stripForCompare(object), live)) continue;
        drifted.push(objectKey(object));
      }
      await gateway.apply(object);
      writes += 1;
    }
    return { writes, drifted };
  }

  /** Deletes objects Berth applied earlier and no longer renders (a removed process type or domain). */
  private async prune(gateway: KubeGateway, state: EnvironmentState, desired: KubeObject[], input: RenderInput): Promise<number> {
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
      await gateway.delete(ref);
      deletes += 1;
    }
    return deletes;
  }

  private async delete(state: EnvironmentState, gateway: KubeGateway): Promise<ReconcileOutcome> {
    const namespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: `${state.app.name}-${state.name}` } };
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

  private async renderInput(state: EnvironmentState): Promise<RenderInput> {
    const [current, previous] = await this.repository.latestReleases(state.teamId, state.id, 2);
    const [quota, cluster] = await Promise.all([this.repository.teamQuota(state.teamId), this.repository.clusterOf(state.clusterId!)]);
    const config = current ? this.encryption.decryptJson<Record<string, string>>(current.configCiphertext, current.id) : {};
    return buildRenderInput({
      state,
      release: current ? { ...current, config } : null,
      previous: previous ?? null,
      quota,
      ingressClassName: cluster?.ingressClassName ?? null,
      imagePullSecret: current ? await this.pullSecrets.pullSecretFor(state.teamId, current.image) : null,
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

/** What is remembered of an applied object: its key and a hash of what was sent. */
export function appliedEntry(object: KubeObject): string {
  return `${objectKey(object)}#${createHash('sha256').update(canonicalJson(object)).digest('hex').slice(0, 16)}`;
}

function entryKey(entry: string): string {
  const hash = entry.lastIndexOf('#');
  return hash < 0 ? entry : entry.slice(0, hash);
}

/** Compare only what Berth sets: the Secret's data is write-only on purpose (never read back here). */
function stripForCompare(object: KubeObject): KubeObject {
  if (object.kind !== 'Secret') return object;
  const { data: _data, stringData: _stringData, ...rest } = object as KubeObject & { data?: unknown; stringData?: unknown };
  return rest as KubeObject;
}
