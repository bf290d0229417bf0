import type { EventRecorder } from '../events.js';
import type { Registry } from '../registry.js';
import { deleteObject } from '../deletion.js';
import { R } from '../resources.js';
import { scaled, type SimulationSettings } from '../settings.js';
import { asMap, deepEqual, type JsonMap, type KubeObject, deepClone } from '../types.js';
import { Controller, splitKey } from './controller.js';
import { controllerOf } from './replicaset.controller.js';
import {
  findCondition,
  HASH_LABEL,
  makeCondition,
  podTemplateHash,
  replicasOf,
  resolveFenceposts,
  REVISION,
  revisionOf,
  sameTemplate,
  statusNum,
} from './rollout.js';

const MANAGER = 'kube-controller-manager';
const COMPONENT = 'deployment-controller';

/**
 * The Deployment controller, as a checklist:
 * 1. find the ReplicaSets it controls; 2. create the new ReplicaSet for the current template;
 * 3. scale new up / old down within maxSurge and maxUnavailable (or Recreate);
 * 4. prune old ReplicaSets beyond revisionHistoryLimit; 5. report status and conditions,
 *    including ProgressDeadlineExceeded when no progress happens for progressDeadlineSeconds.
 */
export class DeploymentController extends Controller {
  constructor(
    private readonly reg: Registry,
    private readonly events: EventRecorder,
    private readonly settings: SimulationSettings,
  ) {
    super();
  }

  protected reconcile(key: string): void {
    const [ns, name] = splitKey(key);
    const d = this.reg.find(R.deployments, ns, name);
    if (!d || d.metadata.deletionTimestamp) return;
    const spec = asMap(d.spec);
    const desired = Number(spec['replicas'] ?? 1);
    const owned = this.reg.store.dependents(d.metadata.uid ?? '', R.replicasets).filter((rs) => controllerOf(rs)?.uid === d.metadata.uid);
    let newRS = owned.find((rs) => sameTemplate(asMap(rs.spec)['template'], spec['template']));
    const old = owned.filter((rs) => rs !== newRS).sort((a, b) => revisionOf(a) - revisionOf(b));
    const maxRevision = Math.max(0, ...owned.map(revisionOf));
    let created = false;
    if (!spec['paused']) {
      if (!newRS) {
        newRS = this.createReplicaSet(d, maxRevision + 1, old);
        created = true;
      } else if (revisionOf(newRS) < maxRevision) {
        newRS = this.setRS(newRS, replicasOf(newRS), d, String(maxRevision + 1));
      }
      this.rollout(d, newRS, old, desired);
      this.prune(d, old);
    }
    this.writeStatus(key, d, newRS, old, created, newRS ? revisionAnnotations(d, newRS) : undefined);
  }

  private createReplicaSet(d: KubeObject, revision: number, old: KubeObject[]): KubeObject {
    const spec = asMap(d.spec);
    const template = deepClone(asMap(spec['template']));
    const hash = podTemplateHash(template);
    const tmeta = asMap(template['metadata']);
    const labels = { ...asMap(tmeta['labels']), [HASH_LABEL]: hash } as Record<string, string>;
    template['metadata'] = { ...tmeta, labels };
    const selector = deepClone(asMap(spec['selector']));
    selector['matchLabels'] = { ...asMap(selector['matchLabels']), [HASH_LABEL]: hash };
    const desired = Number(spec['replicas'] ?? 1);
    const { surge } = resolveFenceposts(d);
    const recreate = asMap(spec['strategy'])['type'] === 'Recreate';
    const oldTotal = old.reduce((n, rs) => n + replicasOf(rs), 0);
    const initial = recreate ? (oldTotal > 0 ? 0 : desired) : Math.max(0, Math.min(desired, desired + surge - oldTotal));
    const rs = this.reg.create(
      R.replicasets,
      d.metadata.namespace ?? '',
      {
        metadata: {
          name: `${d.metadata.name}-${hash}`,
          namespace: d.metadata.namespace,
          labels,
          annotations: {
            'deployment.kubernetes.io/desired-replicas': String(desired),
            'deployment.kubernetes.io/max-replicas': String(desired + surge),
            [REVISION]: String(revision),
          },
          ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: d.metadata.name ?? '', uid: d.metadata.uid ?? '', controller: true, blockOwnerDeletion: true }],
        },
        spec: { replicas: initial, selector, template },
      },
      { fieldManager: MANAGER },
    );
    if (initial > 0) this.events.record(d, 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${rs.metadata.name} from 0 to ${initial}`, COMPONENT);
    return rs;
  }

  private setRS(rs: KubeObject, replicas: number, d: KubeObject, revision?: string): KubeObject {
    const current = replicasOf(rs);
    const desired = String(asMap(d.spec)['replicas'] ?? 1);
    const annotations: Record<string, string> = { ...(rs.metadata.annotations ?? {}), 'deployment.kubernetes.io/desired-replicas': desired };
    if (revision) annotations[REVISION] = revision;
    if (current === replicas && deepEqual(annotations, rs.metadata.annotations)) return rs;
    const next = this.reg.commitUpdate(R.replicasets, rs, { ...rs, metadata: { ...rs.metadata, annotations }, spec: { ...asMap(rs.spec), replicas } }, { fieldManager: MANAGER });
    if (current !== replicas) {
      const dir = replicas > current ? 'up' : 'down';
      this.events.record(d, 'Normal', 'ScalingReplicaSet', `Scaled ${dir} replica set ${rs.metadata.name} from ${current} to ${replicas}`, COMPONENT);
    }
    return next;
  }

  private rollout(d: KubeObject, newRS: KubeObject, old: KubeObject[], desired: number): void {
    const active = old.filter((rs) => replicasOf(rs) > 0);
    if (asMap(asMap(d.spec)['strategy'])['type'] === 'Recreate') {
      if (active.length) {
        for (const rs of active) this.setRS(rs, 0, d);
        return;
      }
      if (old.some((rs) => statusNum(rs, 'replicas') > 0)) return;
      this.setRS(newRS, desired, d);
      return;
    }
    const { surge, unavailable } = resolveFenceposts(d);
    let newReplicas = replicasOf(newRS);
    const total = newReplicas + active.reduce((n, rs) => n + replicasOf(rs), 0);
    if (newReplicas > desired || active.length === 0) newReplicas = desired;
    else if (newReplicas < desired) newReplicas = Math.min(desired, newReplicas + Math.max(0, desired + surge - total));
    const scaledNew = this.setRS(newRS, newReplicas, d);
    if (!active.length) return;
    const allPods = newReplicas + active.reduce((n, rs) => n + replicasOf(rs), 0);
    const minAvailable = desired - unavailable;
    const newUnavailable = Math.max(0, newReplicas - statusNum(scaledNew, 'availableReplicas'));
    let budget = allPods - minAvailable - newUnavailable;
    // Unhealthy old pods can always go first (cleanupUnhealthyReplicas).
    for (const rs of active) {
      const unhealthy = replicasOf(rs) - statusNum(rs, 'availableReplicas');
      if (unhealthy > 0 && budget > 0) {
        const cut = Math.min(unhealthy, budget);
        this.setRS(rs, replicasOf(rs) - cut, d);
        budget -= cut;
      }
    }
    for (const rs of active) {
      if (budget <= 0) break;
      const fresh = this.reg.find(R.replicasets, rs.metadata.namespace ?? '', rs.metadata.name ?? '');
      if (!fresh) continue;
      const cut = Math.min(replicasOf(fresh), budget);
      if (cut > 0) this.setRS(fresh, replicasOf(fresh) - cut, d);
      budget -= cut;
    }
  }

  private prune(d: KubeObject, old: KubeObject[]): void {
    const limit = Number(asMap(d.spec)['revisionHistoryLimit'] ?? 10);
    const idle = old.filter((rs) => replicasOf(rs) === 0 && statusNum(rs, 'replicas') === 0);
    for (const rs of idle.slice(0, Math.max(0, idle.length - limit))) {
      try {
        deleteObject(this.reg, R.replicasets, rs.metadata.namespace ?? '', rs.metadata.name ?? '', {});
      } catch {
        // gone already
      }
    }
  }

  /**
   * Status and conditions, with the revision annotation when it changed: one UpdateStatus, as
   * kube-controller-manager writes them (the status strategy lets annotations through), so the
   * annotation is the controller's in its `status` managedFields entry.
   */
  private writeStatus(key: string, d: KubeObject, newRS: KubeObject | undefined, old: KubeObject[], created: boolean, annotations: Record<string, string> | undefined): void {
    const ns = d.metadata.namespace ?? '';
    const fresh = (rs: KubeObject): KubeObject => this.reg.find(R.replicasets, ns, rs.metadata.name ?? '') ?? rs;
    const all = [...(newRS ? [fresh(newRS)] : []), ...old.map(fresh)];
    const spec = asMap(d.spec);
    const desired = Number(spec['replicas'] ?? 1);
    const prev = asMap(d.status);
    const sum = (k: string): number => all.reduce((n, rs) => n + statusNum(rs, k), 0);
    const status: JsonMap = {
      observedGeneration: d.metadata.generation ?? 1,
      replicas: sum('replicas'),
      updatedReplicas: newRS ? statusNum(fresh(newRS), 'replicas') : 0,
      readyReplicas: sum('readyReplicas'),
      availableReplicas: sum('availableReplicas'),
      unavailableReplicas: Math.max(0, all.reduce((n, rs) => n + replicasOf(rs), 0) - sum('availableReplicas')),
    };
    const { unavailable } = resolveFenceposts(d);
    const available = Number(status['availableReplicas']) >= desired - unavailable;
    const conditions: JsonMap[] = [
      available
        ? makeCondition(findCondition(prev, 'Available'), 'Available', 'True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.', false)
        : makeCondition(findCondition(prev, 'Available'), 'Available', 'False', 'MinimumReplicasUnavailable', 'Deployment does not have minimum availability.', false),
    ];
    const prevProgress = findCondition(prev, 'Progressing');
    const rsName = newRS?.metadata.name ?? '';
    const complete = newRS && status['updatedReplicas'] === desired && status['replicas'] === desired && status['availableReplicas'] === desired;
    const progressed =
      created ||
      Number(status['updatedReplicas']) > Number(prev['updatedReplicas'] ?? 0) ||
      Number(status['replicas']) - Number(status['updatedReplicas']) < Number(prev['replicas'] ?? 0) - Number(prev['updatedReplicas'] ?? 0) ||
      Number(status['readyReplicas']) > Number(prev['readyReplicas'] ?? 0) ||
      Number(status['availableReplicas']) > Number(prev['availableReplicas'] ?? 0) ||
      prev['observedGeneration'] !== status['observedGeneration'];
    const deadlineSec = spec['progressDeadlineSeconds'];
    let progress: JsonMap | undefined = prevProgress;
    if (spec['paused'] === true) {
      progress = makeCondition(prevProgress, 'Progressing', 'Unknown', 'DeploymentPaused', 'Deployment is paused', true);
    } else if (prevProgress?.['reason'] === 'DeploymentPaused') {
      progress = makeCondition(prevProgress, 'Progressing', 'Unknown', 'DeploymentResumed', 'Deployment is resumed', true);
      this.enqueueAfter(key, 1);
    } else if (complete) {
      progress = makeCondition(prevProgress, 'Progressing', 'True', 'NewReplicaSetAvailable', `ReplicaSet "${rsName}" has successfully progressed.`, false);
    } else if (created) {
      progress = makeCondition(prevProgress, 'Progressing', 'True', 'NewReplicaSetCreated', `Created new replica set "${rsName}"`, true);
    } else if (progressed || !prevProgress) {
      progress = makeCondition(prevProgress, 'Progressing', 'True', 'ReplicaSetUpdated', `ReplicaSet "${rsName}" is progressing.`, true);
    } else if (typeof deadlineSec === 'number' && prevProgress['status'] === 'True' && prevProgress['reason'] !== 'NewReplicaSetAvailable') {
      const since = Date.parse(String(prevProgress['lastUpdateTime']));
      const deadline = since + scaled(deadlineSec, this.settings);
      if (Date.now() >= deadline) {
        progress = makeCondition(prevProgress, 'Progressing', 'False', 'ProgressDeadlineExceeded', `ReplicaSet "${rsName}" has timed out progressing.`, true);
      } else this.enqueueAfter(key, deadline - Date.now() + 5);
    }
    if (!complete && progress?.['status'] === 'True' && typeof deadlineSec === 'number' && spec['paused'] !== true) {
      this.enqueueAfter(key, scaled(deadlineSec, this.settings) + 5);
    }
    if (progress) conditions.push(progress);
    const failure = all.map((rs) => findCondition(asMap(rs.status), 'ReplicaFailure')).find((c) => c);
    if (failure) {
      conditions.push(makeCondition(findCondition(prev, 'ReplicaFailure'), 'ReplicaFailure', 'True', 'FailedCreate', String(failure['message']), false));
    }
    status['conditions'] = conditions;
    for (const k of ['readyReplicas', 'availableReplicas', 'unavailableReplicas', 'updatedReplicas', 'replicas'] as const) if (status[k] === 0) delete status[k];
    const strip = (s: JsonMap): unknown => ({ ...s, conditions: (s['conditions'] as JsonMap[] | undefined)?.map((c) => ({ ...c, lastUpdateTime: 0, lastTransitionTime: 0 })) });
    const unchanged = deepEqual(strip(status), strip(prev));
    if (unchanged && !annotations) return;
    this.reg.updateStatus(R.deployments, d, unchanged ? prev : status, MANAGER, annotations);
  }
}

/** The Deployment's annotations with its new ReplicaSet's revision (SetDeploymentRevision); undefined when already there. */
function revisionAnnotations(d: KubeObject, newRS: KubeObject): Record<string, string> | undefined {
  const revision = newRS.metadata.annotations?.[REVISION];
  if (!revision || d.metadata.annotations?.[REVISION] === revision) return undefined;
  return { ...(d.metadata.annotations ?? {}), [REVISION]: revision };
}
