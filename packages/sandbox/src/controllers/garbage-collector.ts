import { deleteObject, FOREGROUND, ORPHAN } from '../deletion.js';
import type { Registry } from '../registry.js';
import type { StoreEvent } from '../store.js';
import type { KubeObject } from '../types.js';
import { Controller } from './controller.js';

/**
 * Garbage collector keyed by uid: deletes dependents whose owners are gone (Background),
 * deletes dependents before their owner (Foreground, `foregroundDeletion` finalizer), or
 * strips ownerReferences (Orphan, `orphan` finalizer).
 */
export class GarbageCollector extends Controller {
  constructor(private readonly reg: Registry) {
    super();
  }

  observe(ev: StoreEvent): void {
    const uid = ev.obj.metadata.uid;
    if (!uid) return;
    if (ev.type === 'DELETED') {
      for (const ref of ev.obj.metadata.ownerReferences ?? []) this.enqueue(ref.uid);
      for (const d of this.reg.store.dependentUids(uid)) this.enqueue(d);
      return;
    }
    for (const ref of ev.obj.metadata.ownerReferences ?? []) {
      if (ev.type === 'ADDED' && !this.reg.store.byUid(ref.uid)) this.enqueueAfter(uid, 50);
    }
    const fin = ev.obj.metadata.finalizers ?? [];
    if (ev.obj.metadata.deletionTimestamp && (fin.includes(FOREGROUND) || fin.includes(ORPHAN))) this.enqueue(uid);
    if (ev.obj.metadata.deletionTimestamp) for (const ref of ev.obj.metadata.ownerReferences ?? []) this.enqueue(ref.uid);
  }

  private lookup(uid: string): KubeObject | undefined {
    const ref = this.reg.store.byUid(uid);
    return ref ? this.reg.find(ref.res, ref.ns, ref.name) : undefined;
  }

  private liveDependents(uid: string): KubeObject[] {
    return this.reg.store.dependents(uid);
  }

  private removeFinalizer(obj: KubeObject, finalizer: string): void {
    const ref = this.reg.store.byUid(obj.metadata.uid ?? '');
    if (!ref) return;
    const finalizers = (obj.metadata.finalizers ?? []).filter((f) => f !== finalizer);
    this.reg.commitUpdate(ref.res, obj, { ...obj, metadata: { ...obj.metadata, finalizers } }, { fieldManager: 'kube-controller-manager' });
  }

  protected reconcile(uid: string): void {
    const obj = this.lookup(uid);
    if (!obj) return;
    const ref = this.reg.store.byUid(uid)!;
    const fin = obj.metadata.finalizers ?? [];
    if (obj.metadata.deletionTimestamp && fin.includes(ORPHAN)) {
      for (const dep of this.liveDependents(uid)) {
        const depRef = this.reg.store.byUid(dep.metadata.uid ?? '')!;
        const owners = (dep.metadata.ownerReferences ?? []).filter((o) => o.uid !== uid);
        const meta: KubeObject['metadata'] = { ...dep.metadata, ownerReferences: owners };
        if (!owners.length) delete meta.ownerReferences;
        this.reg.commitUpdate(depRef.res, dep, { ...dep, metadata: meta }, { fieldManager: 'kube-controller-manager' });
      }
      this.removeFinalizer(obj, ORPHAN);
      return;
    }
    if (obj.metadata.deletionTimestamp && fin.includes(FOREGROUND)) {
      const deps = this.liveDependents(uid);
      if (!deps.length) {
        this.removeFinalizer(obj, FOREGROUND);
        return;
      }
      for (const dep of deps) {
        if (dep.metadata.deletionTimestamp) continue;
        const depRef = this.reg.store.byUid(dep.metadata.uid ?? '')!;
        deleteObject(this.reg, depRef.res, depRef.ns, depRef.name, { propagationPolicy: 'Foreground' });
      }
      return;
    }
    // Dangling owner references: delete when every owner is gone, else drop the dead references.
    const owners = obj.metadata.ownerReferences ?? [];
    if (!owners.length) return;
    const alive = owners.filter((o) => this.reg.store.byUid(o.uid));
    if (alive.length === owners.length) return;
    if (alive.length === 0) {
      if (!obj.metadata.deletionTimestamp) deleteObject(this.reg, ref.res, ref.ns, ref.name, { propagationPolicy: 'Background' });
      return;
    }
    this.reg.commitUpdate(ref.res, obj, { ...obj, metadata: { ...obj.metadata, ownerReferences: alive } }, { fieldManager: 'kube-controller-manager' });
  }
}
