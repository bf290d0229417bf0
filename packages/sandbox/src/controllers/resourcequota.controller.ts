import { currentUsage } from '../admission/resource-quota.js';
import { formatQuantity } from '../quantity.js';
import type { Registry } from '../registry.js';
import { R } from '../resources.js';
import { asMap, deepEqual, type JsonMap } from '../types.js';
import { Controller } from './controller.js';

/** Keeps ResourceQuota status.hard/status.used current for a namespace. */
export class ResourceQuotaController extends Controller {
  constructor(private readonly reg: Registry) {
    super();
  }

  protected reconcile(ns: string): void {
    for (const quota of this.reg.store.list(R.resourcequotas, ns)) {
      const hard = asMap(asMap(quota.spec)['hard']);
      const used: JsonMap = {};
      for (const key of Object.keys(hard)) used[key] = formatQuantity(key, currentUsage(this.reg.store, ns, key));
      const status = { hard: { ...hard }, used };
      if (deepEqual(status, quota.status)) continue;
      this.reg.updateStatus(R.resourcequotas, quota, status, 'kube-controller-manager');
    }
  }
}
