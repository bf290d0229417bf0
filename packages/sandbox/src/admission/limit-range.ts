import { forbidden } from '../errors.js';
import { formatQuantity, parseQuantity } from '../quantity.js';
import type { AdmissionPlugin } from '../registry.js';
import { R, type ResourceDef } from '../resources.js';
import type { Store } from '../store.js';
import { asArray, asMap, isMap, type JsonMap, type KubeObject } from '../types.js';

/** LimitRanger: default limits/requests for containers without them; enforce min/max. */
export class LimitRangeAdmission implements AdmissionPlugin {
  constructor(private readonly store: Store) {}

  admit(res: ResourceDef, obj: KubeObject, op: 'CREATE' | 'UPDATE'): void {
    if (res !== R.pods || op !== 'CREATE') return;
    const ns = obj.metadata.namespace ?? '';
    const items = this.store
      .list(R.limitranges, ns)
      .flatMap((lr) => asArray(asMap(lr.spec)['limits']).filter(isMap))
      .filter((l) => l['type'] === 'Container');
    if (!items.length) return;
    const notes: string[] = [];
    for (const c of asArray(asMap(obj.spec)['containers']).filter(isMap)) {
      const resources = (c['resources'] = isMap(c['resources']) ? c['resources'] : {}) as JsonMap;
      const limits = (isMap(resources['limits']) ? resources['limits'] : {}) as JsonMap;
      const requests = (isMap(resources['requests']) ? resources['requests'] : {}) as JsonMap;
      const setL: string[] = [];
      const setR: string[] = [];
      for (const item of items) {
        for (const [r, v] of Object.entries(asMap(item['default']))) if (limits[r] === undefined) (limits[r] = v), setL.push(r);
        for (const [r, v] of Object.entries(asMap(item['defaultRequest']))) if (requests[r] === undefined) (requests[r] = v), setR.push(r);
      }
      for (const [r, v] of Object.entries(limits)) if (requests[r] === undefined) (requests[r] = v), setR.push(r);
      if (Object.keys(limits).length) resources['limits'] = limits;
      if (Object.keys(requests).length) resources['requests'] = requests;
      if (setR.length) notes.push(`${setR.join(', ')} request for container ${String(c['name'])}`);
      if (setL.length) notes.push(`${setL.join(', ')} limit for container ${String(c['name'])}`);
      for (const item of items) {
        for (const [r, max] of Object.entries(asMap(item['max']))) {
          const lim = limits[r];
          if (lim !== undefined && parseQuantity(lim) > parseQuantity(max)) {
            throw forbidden(res, obj.metadata.name ?? '', `maximum ${r} usage per Container is ${formatQuantity(r, parseQuantity(max))}, but limit is ${String(lim)}`);
          }
        }
        for (const [r, min] of Object.entries(asMap(item['min']))) {
          const req = requests[r];
          if (req !== undefined && parseQuantity(req) < parseQuantity(min)) {
            throw forbidden(res, obj.metadata.name ?? '', `minimum ${r} usage per Container is ${formatQuantity(r, parseQuantity(min))}, but request is ${String(req)}`);
          }
        }
      }
    }
    if (notes.length) {
      obj.metadata.annotations = { ...(obj.metadata.annotations ?? {}), 'kubernetes.io/limit-ranger': `LimitRanger plugin set: ${notes.join('; ')}` };
    }
  }
}
