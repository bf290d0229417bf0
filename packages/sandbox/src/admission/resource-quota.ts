import { forbidden } from '../errors.js';
import { formatQuantity, parseQuantity } from '../quantity.js';
import type { AdmissionPlugin } from '../registry.js';
import { R, STORED, type ResourceDef } from '../resources.js';
import type { Store } from '../store.js';
import { asArray, asMap, isMap, type KubeObject } from '../types.js';

const COMPUTE = ['requests.cpu', 'requests.memory', 'limits.cpu', 'limits.memory', 'cpu', 'memory'];
const LEGACY_COUNTS: Record<string, string> = {
  pods: 'pods',
  services: 'services',
  configmaps: 'configmaps',
  secrets: 'secrets',
  persistentvolumeclaims: 'persistentvolumeclaims',
  resourcequotas: 'resourcequotas',
};

function podCompute(pod: KubeObject, key: string): number | undefined {
  const [kind, resource] = key.includes('.') ? (key.split('.') as [string, string]) : ['requests', key];
  let total = 0;
  for (const c of asArray(asMap(pod.spec)['containers']).filter(isMap)) {
    const v = asMap(asMap(c['resources'])[kind])[resource];
    if (v === undefined) return undefined;
    total += parseQuantity(v);
  }
  return total;
}

function isTerminal(pod: KubeObject): boolean {
  const phase = asMap(pod.status)['phase'];
  return phase === 'Succeeded' || phase === 'Failed';
}

/** Does a quota key count objects of this resource (or what they request)? */
export function tracks(res: ResourceDef, key: string): boolean {
  return key === `count/${res.qualified}` || LEGACY_COUNTS[res.plural] === key || (res === R.pods && COMPUTE.includes(key));
}

/** What creating `obj` adds to a quota key (undefined: the key does not track this resource). */
export function usageDelta(res: ResourceDef, obj: KubeObject, key: string): number | undefined {
  if (!tracks(res, key)) return undefined;
  return res === R.pods && COMPUTE.includes(key) ? (podCompute(obj, key) ?? Number.NaN) : 1;
}

/** Current usage of a quota key in a namespace, computed from the stored objects. */
export function currentUsage(store: Store, ns: string, key: string): number {
  if (key.startsWith('count/')) {
    const qualified = key.slice('count/'.length);
    const res = STORED.find((r) => r.qualified === qualified);
    return res ? store.count(res, ns) : 0;
  }
  const legacy = Object.entries(LEGACY_COUNTS).find(([, k]) => k === key);
  if (legacy) {
    const res = STORED.find((r) => r.plural === legacy[0] && r.group === '');
    if (!res) return 0;
    return res === R.pods ? store.list(R.pods, ns).filter((p) => !isTerminal(p)).length : store.count(res, ns);
  }
  if (COMPUTE.includes(key)) {
    return store.list(R.pods, ns).filter((p) => !isTerminal(p)).reduce((n, p) => n + (podCompute(p, key) ?? 0), 0);
  }
  return 0;
}

/** ResourceQuota admission: reject creations that would exceed a quota in the namespace. */
export class ResourceQuotaAdmission implements AdmissionPlugin {
  constructor(private readonly store: Store) {}

  admit(res: ResourceDef, obj: KubeObject, op: 'CREATE' | 'UPDATE'): void {
    if (op !== 'CREATE') return;
    const ns = obj.metadata.namespace ?? '';
    for (const quota of this.store.list(R.resourcequotas, ns)) {
      const hard = asMap(asMap(quota.spec)['hard']);
      const missing: string[] = [];
      const exceeded: { key: string; delta: number; used: number; limit: number }[] = [];
      for (const [key, limitRaw] of Object.entries(hard)) {
        const delta = usageDelta(res, obj, key);
        if (delta === undefined) continue;
        if (Number.isNaN(delta)) {
          missing.push(key);
          continue;
        }
        const used = currentUsage(this.store, ns, key);
        const limit = parseQuantity(limitRaw);
        if (used + delta > limit + 1e-9) exceeded.push({ key, delta, used, limit });
      }
      const name = obj.metadata.name ?? '';
      if (missing.length) throw forbidden(res, name, `failed quota: ${quota.metadata.name}: must specify ${missing.sort().join(',')}`);
      if (exceeded.length) {
        const fmt = (f: (e: (typeof exceeded)[number]) => number): string => exceeded.map((e) => `${e.key}=${formatQuantity(e.key, f(e))}`).join(',');
        throw forbidden(res, name, `exceeded quota: ${quota.metadata.name}, requested: ${fmt((e) => e.delta)}, used: ${fmt((e) => e.used)}, limited: ${fmt((e) => e.limit)}`);
      }
    }
  }
}
