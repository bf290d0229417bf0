import { ApiError, badRequest, conflict } from './errors.js';
import { applyJsonPatch } from './patch/json-patch.js';
import { applyMergePatch } from './patch/merge-patch.js';
import { applyStrategicMergePatch } from './patch/strategic-merge.js';
import type { PatchType, Registry, WriteOptions } from './registry.js';
import type { ResourceDef } from './resources.js';
import { selectorString } from './selectors.js';
import { asMap, isMap, type JsonMap, type KubeObject } from './types.js';

/** The autoscaling/v1 Scale view of a Deployment or ReplicaSet. */
export function getScale(obj: KubeObject): JsonMap {
  const spec = asMap(obj.spec);
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: {
      name: obj.metadata.name,
      namespace: obj.metadata.namespace,
      uid: obj.metadata.uid,
      resourceVersion: obj.metadata.resourceVersion,
      creationTimestamp: obj.metadata.creationTimestamp,
    },
    spec: { replicas: Number(spec['replicas'] ?? 0) },
    status: { replicas: Number(asMap(obj.status)['replicas'] ?? 0), selector: selectorString(spec['selector']) },
  };
}

/** PUT or PATCH on /scale: only spec.replicas of the owner changes. */
export function scaleWrite(reg: Registry, res: ResourceDef, ns: string, name: string, body: unknown, type: PatchType | undefined, opts: WriteOptions): JsonMap {
  const obj = reg.get(res, ns, name);
  const current = getScale(obj);
  let next: unknown;
  if (!type) next = body;
  else if (type === 'json') next = applyJsonPatch(current, body);
  else if (type === 'merge') next = applyMergePatch(current, body);
  else if (type === 'strategic') next = applyStrategicMergePatch(current, body);
  else next = applyMergePatch(current, body);
  if (!isMap(next)) throw badRequest('invalid Scale object');
  const rv = asMap(next['metadata'])['resourceVersion'];
  if (typeof rv === 'string' && rv !== '' && rv !== obj.metadata.resourceVersion) throw conflict(res, name);
  const replicas = asMap(next['spec'])['replicas'];
  if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
    throw new ApiError(422, 'Invalid', `Scale.autoscaling "${name}" is invalid: spec.replicas: Invalid value: ${String(replicas)}: must be greater than or equal to 0`, {
      name,
      group: 'autoscaling',
      kind: 'Scale',
      causes: [{ reason: 'FieldValueInvalid', message: `Invalid value: ${String(replicas)}: must be greater than or equal to 0`, field: 'spec.replicas' }],
    });
  }
  const updated = reg.commitUpdate(res, obj, { ...obj, spec: { ...asMap(obj.spec), replicas } }, opts);
  return getScale(updated);
}
