import type { ResourceDef } from '../resources.js';
import { deepEqual, type KubeObject, deepClone } from '../types.js';
import { forbidden, invalidValue, list, map, type Causes } from './util.js';

const IMMUTABLE = 'field is immutable';
const WHEN_IMMUTABLE = 'field is immutable when `immutable` is set';

function immutableField(out: Causes, field: string, next: unknown, old: unknown): void {
  if (!deepEqual(next, old)) out.push(invalidValue(field, next ?? null, IMMUTABLE));
}

function immutableData(out: Causes, next: KubeObject, old: KubeObject, fields: string[]): void {
  if (old['immutable'] !== true) return;
  if (next['immutable'] !== true) out.push(forbidden('immutable', WHEN_IMMUTABLE));
  for (const f of fields) if (!deepEqual(next[f] ?? {}, old[f] ?? {})) out.push(forbidden(f, WHEN_IMMUTABLE));
}

const POD_MUTABLE =
  'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)';

/** ValidatePodUpdate: everything but images, activeDeadlineSeconds, added tolerations and scheduling gates is fixed. */
function podSpecUpdate(out: Causes, next: KubeObject, old: KubeObject): void {
  const ns = map(next.spec);
  const os = map(old.spec);
  const mutated: Record<string, unknown> = deepClone(os);
  for (const field of ['containers', 'initContainers']) {
    const newCs = list(ns[field]);
    const oldCs = list(mutated[field]);
    if (newCs.length !== oldCs.length) continue;
    oldCs.forEach((c, i) => {
      const image = map(newCs[i])['image'];
      if (image !== undefined) map(c)['image'] = image;
    });
  }
  const ads = ns['activeDeadlineSeconds'];
  const oldAds = os['activeDeadlineSeconds'];
  if (ads !== undefined && (oldAds === undefined || (typeof ads === 'number' && typeof oldAds === 'number' && ads <= oldAds))) mutated['activeDeadlineSeconds'] = ads;
  const oldTol = list(os['tolerations']);
  const newTol = list(ns['tolerations']);
  if (oldTol.every((t) => newTol.some((n) => deepEqual(n, t)))) mutated['tolerations'] = ns['tolerations'];
  if (ns['schedulingGates'] === undefined || list(ns['schedulingGates']).length <= list(os['schedulingGates']).length) {
    if (ns['schedulingGates'] === undefined) delete mutated['schedulingGates'];
    else mutated['schedulingGates'] = ns['schedulingGates'];
  }
  if (os['nodeName'] === undefined && ns['nodeName'] === undefined) delete mutated['nodeName'];
  if (!deepEqual(ns, mutated)) out.push(forbidden('spec', POD_MUTABLE));
}

/** The update-only rules (ValidateXUpdate): immutable fields. */
export function validateUpdate(res: ResourceDef, next: KubeObject, old: KubeObject): Causes {
  const out: Causes = [];
  const spec = map(next.spec);
  const oldSpec = map(old.spec);
  switch (res.plural) {
    case 'deployments':
    case 'replicasets':
    case 'daemonsets':
      immutableField(out, 'spec.selector', spec['selector'], oldSpec['selector']);
      break;
    case 'jobs':
      immutableField(out, 'spec.selector', spec['selector'], oldSpec['selector']);
      immutableField(out, 'spec.template', spec['template'], oldSpec['template']);
      if (oldSpec['completionMode'] !== 'Indexed') immutableField(out, 'spec.completions', spec['completions'], oldSpec['completions']);
      break;
    case 'configmaps':
      immutableData(out, next, old, ['data', 'binaryData']);
      break;
    case 'secrets':
      if ((next['type'] ?? 'Opaque') !== (old['type'] ?? 'Opaque')) out.push(invalidValue('type', next['type'] ?? '', IMMUTABLE));
      immutableData(out, next, old, ['data']);
      break;
    case 'services': {
      const oldIp = oldSpec['clusterIP'];
      if (typeof oldIp === 'string' && oldIp !== '' && spec['clusterIP'] !== oldIp && spec['type'] !== 'ExternalName') {
        out.push(invalidValue('spec.clusterIPs[0]', spec['clusterIPs'] ?? [spec['clusterIP'] ?? ''], 'may not change once set'));
      }
      break;
    }
    case 'pods':
      podSpecUpdate(out, next, old);
      break;
    case 'persistentvolumeclaims': {
      // Only the requested size and the attributes class may change once created.
      const strip = (s: Record<string, unknown>): Record<string, unknown> => {
        const { resources, volumeAttributesClassName: _v, volumeName: _n, ...rest } = s;
        const { requests: _r, ...resRest } = map(resources);
        return { ...rest, resources: resRest };
      };
      if (!deepEqual(strip(spec), strip(oldSpec))) out.push(forbidden('spec', 'spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims'));
      break;
    }
    case 'statefulsets': {
      const strip = (s: Record<string, unknown>): Record<string, unknown> => {
        const { replicas: _a, ordinals: _b, template: _c, updateStrategy: _d, revisionHistoryLimit: _e, persistentVolumeClaimRetentionPolicy: _f, minReadySeconds: _g, ...rest } = s;
        return rest;
      };
      if (!deepEqual(strip(spec), strip(oldSpec))) {
        out.push(forbidden('spec', "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden"));
      }
      break;
    }
  }
  return out;
}
