import { deleteObject } from '../deletion.js';
import type { Registry } from '../registry.js';
import { R, STORED } from '../resources.js';
import { Controller } from './controller.js';

const ROOT_CA = '-----BEGIN CERTIFICATE-----\nMIIBsandboxsandboxsandboxsandboxsandboxsandboxsandbox\n-----END CERTIFICATE-----\n';

/**
 * Namespace lifecycle: new namespaces get the `default` ServiceAccount and the
 * `kube-root-ca.crt` ConfigMap; deleted ones stay Terminating for `terminationMs`, then
 * everything in them is deleted and the namespace goes away.
 */
export class NamespaceController extends Controller {
  constructor(
    private readonly reg: Registry,
    private readonly terminationMs: number,
  ) {
    super();
  }

  namespaceAdded(name: string): void {
    const create = (res: typeof R.configmaps, body: Record<string, unknown>): void => {
      try {
        this.reg.create(res, name, body, { fieldManager: 'kube-controller-manager' });
      } catch {
        // already there, or the namespace is going away
      }
    };
    create(R.serviceaccounts, { metadata: { name: 'default' } });
    create(R.configmaps, { metadata: { name: 'kube-root-ca.crt', annotations: { 'kubernetes.io/description': 'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.' } }, data: { 'ca.crt': ROOT_CA } });
  }

  namespaceTerminating(name: string): void {
    this.enqueueAfter(name, this.terminationMs);
  }

  protected reconcile(name: string): void {
    const ns = this.reg.find(R.namespaces, '', name);
    if (!ns || !ns.metadata.deletionTimestamp) return;
    let remaining = 0;
    for (const res of STORED) {
      if (!res.namespaced) continue;
      for (const obj of this.reg.store.list(res, name)) {
        remaining++;
        if (obj.metadata.deletionTimestamp) continue;
        try {
          deleteObject(this.reg, res, name, obj.metadata.name ?? '', { propagationPolicy: 'Background' });
        } catch {
          // raced with another deletion
        }
      }
    }
    const left = STORED.filter((r) => r.namespaced).reduce((n, r) => n + this.reg.store.count(r, name), 0);
    if (left > 0 || remaining < 0) {
      this.enqueueAfter(name, 50);
      return;
    }
    this.reg.store.remove(R.namespaces, '', name);
  }
}
