import { ApiError } from '../errors.js';
import type { EventRecorder } from '../events.js';
import { randomSuffix, type Registry } from '../registry.js';
import { deleteObject } from '../deletion.js';
import { R } from '../resources.js';
import { asArray, asMap, deepEqual, isMap, nowIso, type JsonMap, type KubeObject, deepClone } from '../types.js';
import { Controller, splitKey } from './controller.js';

const MANAGER = 'kube-controller-manager';
const COMPONENT = 'replicaset-controller';
/** Pod creations per reconcile (the real controller uses slow-start batches). */
const BURST = 500;

export function controllerOf(obj: KubeObject): { uid: string; kind: string; name: string } | undefined {
  const ref = (obj.metadata.ownerReferences ?? []).find((r) => r.controller);
  return ref ? { uid: ref.uid, kind: ref.kind, name: ref.name } : undefined;
}

export function isPodReady(pod: KubeObject): boolean {
  return asArray(asMap(pod.status)['conditions']).some((c) => isMap(c) && c['type'] === 'Ready' && c['status'] === 'True');
}

function isActive(pod: KubeObject): boolean {
  const phase = asMap(pod.status)['phase'];
  return !pod.metadata.deletionTimestamp && phase !== 'Succeeded' && phase !== 'Failed';
}

/** Keeps spec.replicas pods per ReplicaSet and reports their readiness in status. */
export class ReplicaSetController extends Controller {
  /** Consecutive failed create attempts per ReplicaSet, for exponential back-off. */
  private readonly createFailures = new Map<string, number>();

  constructor(
    private readonly reg: Registry,
    private readonly events: EventRecorder,
    private readonly retryMs: number,
  ) {
    super();
  }

  ownedPods(rs: KubeObject): KubeObject[] {
    const uid = rs.metadata.uid ?? '';
    return this.reg.store.dependents(uid, R.pods).filter((p) => controllerOf(p)?.uid === uid);
  }

  private podFromTemplate(rs: KubeObject): JsonMap {
    const template = asMap(asMap(rs.spec)['template']);
    const meta = asMap(template['metadata']);
    return {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: `${rs.metadata.name}-${randomSuffix()}`,
        generateName: `${rs.metadata.name}-`,
        namespace: rs.metadata.namespace,
        labels: { ...asMap(meta['labels']) },
        ...(isMap(meta['annotations']) ? { annotations: { ...meta['annotations'] } } : {}),
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rs.metadata.name, uid: rs.metadata.uid, controller: true, blockOwnerDeletion: true }],
      },
      spec: deepClone(asMap(template['spec'])),
    };
  }

  protected reconcile(key: string): void {
    const [ns, name] = splitKey(key);
    const rs = this.reg.find(R.replicasets, ns, name);
    if (!rs || rs.metadata.deletionTimestamp) return;
    const desired = Number(asMap(rs.spec)['replicas'] ?? 1);
    const pods = this.ownedPods(rs).filter(isActive);
    let failure: string | undefined;
    if (pods.length < desired) {
      const want = Math.min(BURST, desired - pods.length);
      for (let i = 0; i < want; i++) {
        try {
          const pod = this.reg.create(R.pods, ns, this.podFromTemplate(rs), { fieldManager: MANAGER });
          pods.push(pod);
          this.events.record(rs, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name}`, COMPONENT);
        } catch (e) {
          failure = e instanceof ApiError ? e.message : String(e);
          this.events.record(rs, 'Warning', 'FailedCreate', `Error creating: ${failure}`, COMPONENT);
          break;
        }
      }
      if (failure) {
        const n = (this.createFailures.get(key) ?? 0) + 1;
        this.createFailures.set(key, n);
        this.enqueueAfter(key, this.retryMs * 2 ** Math.min(n - 1, 5));
      } else {
        this.createFailures.delete(key);
        if (pods.length < desired) this.enqueueAfter(key, 1);
      }
    } else if (pods.length > desired) {
      const victims = [...pods]
        .sort((a, b) => {
          const ra = isPodReady(a) ? 1 : 0;
          const rb = isPodReady(b) ? 1 : 0;
          if (ra !== rb) return ra - rb;
          return String(b.metadata.creationTimestamp).localeCompare(String(a.metadata.creationTimestamp));
        })
        .slice(0, pods.length - desired);
      for (const pod of victims) {
        try {
          deleteObject(this.reg, R.pods, ns, pod.metadata.name ?? '', {});
          this.events.record(rs, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`, COMPONENT);
        } catch {
          // already gone
        }
        pods.splice(pods.indexOf(pod), 1);
      }
    }
    this.writeStatus(rs, pods, failure);
  }

  private writeStatus(rs: KubeObject, pods: KubeObject[], failure: string | undefined): void {
    const current = this.reg.find(R.replicasets, rs.metadata.namespace ?? '', rs.metadata.name ?? '');
    if (!current) return;
    const ready = pods.filter(isPodReady).length;
    const old = asMap(current.status);
    const oldConditions = asArray(old['conditions']).filter(isMap);
    let conditions = oldConditions.filter((c) => c['type'] !== 'ReplicaFailure');
    if (failure) {
      const prev = oldConditions.find((c) => c['type'] === 'ReplicaFailure');
      conditions = [
        ...conditions,
        { type: 'ReplicaFailure', status: 'True', lastTransitionTime: prev?.['lastTransitionTime'] ?? nowIso(), reason: 'FailedCreate', message: failure },
      ];
    }
    const status: JsonMap = {
      replicas: pods.length,
      fullyLabeledReplicas: pods.length,
      readyReplicas: ready,
      availableReplicas: ready,
      observedGeneration: current.metadata.generation ?? 1,
    };
    if (conditions.length) status['conditions'] = conditions;
    for (const k of ['readyReplicas', 'availableReplicas', 'fullyLabeledReplicas'] as const) if (status[k] === 0) delete status[k];
    if (deepEqual(status, old)) return;
    this.reg.updateStatus(R.replicasets, current, status, MANAGER);
  }
}
