import { conflict } from './errors.js';
import { eventFromStorage, eventToStorage, isEventsV1 } from './events-v1.js';
import { applyJsonPatch } from './patch/json-patch.js';
import { applyMergePatch } from './patch/merge-patch.js';
import { applyStrategicMergePatch } from './patch/strategic-merge.js';
import type { PatchType, Registry, WriteOptions } from './registry.js';
import type { ResourceDef } from './resources.js';
import { asArray, asMap, getPath, isMap, type JsonMap, type KubeObject, deepClone } from './types.js';

/**
 * Conversion for older served versions. Only autoscaling/v1 HorizontalPodAutoscaler (what
 * `kubectl autoscale` posts) exists: stored as autoscaling/v2, targetCPUUtilizationPercentage
 * ⇄ a cpu Utilization metric.
 */
export function toStorage(view: ResourceDef, body: unknown): unknown {
  if (view.storage && isEventsV1(view)) return eventToStorage(view.storage, body);
  if (!isMap(body) || !view.storage) return body;
  const out: JsonMap = { ...deepClone(body), apiVersion: view.storage.apiVersion };
  const spec = { ...asMap(out['spec']) };
  const target = spec['targetCPUUtilizationPercentage'];
  delete spec['targetCPUUtilizationPercentage'];
  if (typeof target === 'number') spec['metrics'] = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: target } } }];
  out['spec'] = spec;
  if (isMap(out['status'])) {
    const status = { ...out['status'] };
    const current = status['currentCPUUtilizationPercentage'];
    delete status['currentCPUUtilizationPercentage'];
    if (typeof current === 'number') status['currentMetrics'] = [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: current } } }];
    out['status'] = status;
  }
  return out;
}

export function fromStorage(view: ResourceDef, obj: KubeObject): KubeObject {
  if (isEventsV1(view)) return eventFromStorage(view, obj);
  const spec = asMap(obj.spec);
  const cpu = asArray(spec['metrics']).find((m) => getPath(m, 'resource.name') === 'cpu' && getPath(m, 'resource.target.type') === 'Utilization');
  const outSpec: JsonMap = { scaleTargetRef: spec['scaleTargetRef'], minReplicas: spec['minReplicas'], maxReplicas: spec['maxReplicas'] };
  const target = getPath(cpu, 'resource.target.averageUtilization');
  if (typeof target === 'number') outSpec['targetCPUUtilizationPercentage'] = target;
  const out: KubeObject = { apiVersion: view.apiVersion, kind: view.kind, metadata: obj.metadata, spec: outSpec };
  if (obj.status) {
    const st = obj.status;
    const status: JsonMap = {};
    for (const k of ['observedGeneration', 'lastScaleTime', 'currentReplicas', 'desiredReplicas']) if (st[k] !== undefined) status[k] = st[k];
    const current = asArray(st['currentMetrics']).find((m) => getPath(m, 'resource.name') === 'cpu');
    const util = getPath(current, 'resource.current.averageUtilization');
    if (typeof util === 'number') status['currentCPUUtilizationPercentage'] = util;
    out.status = status;
  }
  return out;
}

/** PATCH against an older version: patch its view of the object, then store the converted result. */
export function patchConverted(reg: Registry, view: ResourceDef, ns: string, name: string, type: PatchType, body: unknown, opts: WriteOptions): KubeObject {
  const storage = view.storage!;
  if (type === 'apply') return reg.patch(storage, ns, name, type, toStorage(view, body), opts).obj;
  const existing = reg.get(storage, ns, name);
  const current = fromStorage(view, existing);
  const patched = type === 'json' ? applyJsonPatch(current, body) : type === 'merge' ? applyMergePatch(current, body) : applyStrategicMergePatch(current, body);
  const proposed = toStorage(view, patched) as KubeObject;
  const rv = asMap(proposed.metadata)['resourceVersion'];
  if (rv !== undefined && rv !== existing.metadata.resourceVersion) throw conflict(storage, name);
  if (isEventsV1(view)) return reg.commitUpdate(storage, existing, proposed, opts);
  const spec: JsonMap = { ...asMap(existing.spec), ...asMap(proposed.spec) };
  if (!('metrics' in asMap(proposed.spec))) delete spec['metrics'];
  return reg.commitUpdate(storage, existing, { ...proposed, spec }, opts);
}
