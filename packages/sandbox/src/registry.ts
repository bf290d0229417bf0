import { randomUUID } from 'node:crypto';
import { alreadyExists, ApiError, badRequest, conflict, forbidden, notFound } from './errors.js';
import { applyDefaults, HAS_GENERATION } from './defaults.js';
import { recordUpdate, sameOwnership, serverSideApply } from './patch/managed-fields.js';
import { applyJsonPatch } from './patch/json-patch.js';
import { applyMergePatch } from './patch/merge-patch.js';
import { applyStrategicMergePatch } from './patch/strategic-merge.js';
import { R, type ResourceDef } from './resources.js';
import type { Store } from './store.js';
import { deepEqual, isMap, nowIso, shallowCopy, type JsonMap, type KubeObject, type ManagedFieldsEntry, deepClone } from './types.js';
import { validateObject, validateStatusMetadata } from './validation/index.js';
import { decodeStructure, type FieldValidation } from './validation/structural.js';

export type PatchType = 'merge' | 'json' | 'strategic' | 'apply';

export interface WriteOptions {
  fieldManager?: string;
  dryRun?: boolean;
  subresource?: string;
  force?: boolean;
  /** Unknown-field handling (the fieldValidation parameter); absent means Warn, as on a real server. */
  fieldValidation?: FieldValidation;
  /** Collects Warning headers for the response (unknown fields with Warn). */
  warnings?: string[];
  /** Fields the JSON body held twice. */
  duplicates?: string[];
}

/** Admission plug-ins: mutate or reject objects before they are stored. */
export interface AdmissionPlugin {
  admit(res: ResourceDef, obj: KubeObject, op: 'CREATE' | 'UPDATE', old: KubeObject | undefined): void;
}

const NAME_CHARS = 'bcdfghjklmnpqrstvwxz2456789';
export function randomSuffix(n = 5): string {
  let s = '';
  for (let i = 0; i < n; i++) s += NAME_CHARS[Math.floor(Math.random() * NAME_CHARS.length)];
  return s;
}

function withoutMetaStatus(obj: KubeObject): JsonMap {
  const { metadata: _m, status: _s, ...rest } = obj;
  return rest;
}

/** Resources whose status subresource also takes metadata changes (all but labels), as kube-apiserver's strategies for them do. */
const STATUS_WITH_METADATA = new Set(['deployments', 'replicasets']);

/** API-server semantics on top of the store: defaults, validation, admission, versions, ownership. */
export class Registry {
  readonly admission: AdmissionPlugin[] = [];

  constructor(readonly store: Store) {}

  get(res: ResourceDef, ns: string, name: string): KubeObject {
    const obj = this.store.get(res, ns, name);
    if (!obj) throw notFound(res, name);
    return obj;
  }

  find(res: ResourceDef, ns: string, name: string): KubeObject | undefined {
    return this.store.get(res, ns, name);
  }

  /** Namespaced writes need an existing namespace that is not terminating. */
  checkNamespace(res: ResourceDef, ns: string, name: string): void {
    if (!res.namespaced) return;
    const nsObj = this.store.get(R.namespaces, '', ns);
    if (!nsObj) throw notFound(R.namespaces, ns);
    if (nsObj.metadata.deletionTimestamp) {
      throw forbidden(res, name, `unable to create new content in namespace ${ns} because it is being terminated`, [
        { reason: 'NamespaceTerminating', message: `namespace ${ns} is being terminated`, field: 'metadata.namespace' },
      ]);
    }
  }

  private prepareIdentity(res: ResourceDef, ns: string, body: unknown): KubeObject {
    if (!isMap(body)) throw badRequest('the request body must be a JSON or YAML object');
    const input = body as KubeObject;
    if (input.kind !== undefined && input.kind !== res.kind) {
      throw badRequest(`the kind in the data (${String(input.kind)}) does not match the expected kind (${res.kind})`);
    }
    if (input.apiVersion !== undefined && input.apiVersion !== res.apiVersion) {
      throw badRequest(`the API version in the data (${String(input.apiVersion)}) does not match the expected API version (${res.apiVersion})`);
    }
    const { apiVersion: _a, kind: _k, metadata, ...rest } = input;
    // The metadata gets members added (uid, timestamps, resourceVersion): a copy that takes them cheaply.
    const obj: KubeObject = { apiVersion: res.apiVersion, kind: res.kind, metadata: isMap(metadata) ? shallowCopy(metadata) : {}, ...rest };
    if (res.namespaced) {
      if (obj.metadata.namespace && obj.metadata.namespace !== ns) {
        throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
      }
      obj.metadata.namespace = ns;
    } else delete obj.metadata.namespace;
    return obj;
  }

  /** POST: create a new object. */
  create(res: ResourceDef, ns: string, body: unknown, opts: WriteOptions = {}): KubeObject {
    const obj = this.prepareIdentity(res, ns, body);
    decodeStructure(res, obj, 'body', opts);
    return this.createDecoded(res, ns, obj, opts);
  }

  /** `applyManaged`: the managedFields server-side apply computed (no Update entry is recorded then). */
  private createDecoded(res: ResourceDef, ns: string, obj: KubeObject, opts: WriteOptions, applyManaged?: ManagedFieldsEntry[]): KubeObject {
    const meta = obj.metadata;
    if (!meta.name && meta.generateName) meta.name = `${meta.generateName}${randomSuffix()}`;
    const name = meta.name ?? '';
    this.checkNamespace(res, ns, name);
    if (name && this.store.get(res, ns, name)) throw alreadyExists(res, name);
    if (res.subresources.includes('status') && res.plural !== 'services') delete obj.status;
    // Set before defaulting, as BeforeCreate does: the Job strategy's generated selector uses it.
    meta.uid = randomUUID();
    applyDefaults(res, obj, true);
    for (const a of this.admission) a.admit(res, obj, 'CREATE', undefined);
    validateObject(res, obj);
    meta.creationTimestamp = nowIso();
    delete meta.resourceVersion;
    delete meta.deletionTimestamp;
    if (HAS_GENERATION.has(res.plural)) meta.generation = 1;
    else delete meta.generation;
    delete meta.managedFields;
    const mf = applyManaged ?? recordUpdate(undefined, obj, opts.fieldManager ?? 'unknown', undefined);
    if (mf) meta.managedFields = mf;
    if (opts.dryRun) return obj;
    return this.store.write(res, obj);
  }

  /** PUT on the main resource or the status subresource. */
  update(res: ResourceDef, ns: string, name: string, body: unknown, opts: WriteOptions = {}): KubeObject {
    const existing = this.get(res, ns, name);
    const obj = this.prepareIdentity(res, ns, body);
    if (obj.metadata.name !== undefined && obj.metadata.name !== name) {
      throw badRequest(`the name of the object (${obj.metadata.name}) does not match the name on the URL (${name})`);
    }
    decodeStructure(res, obj, 'body', opts);
    const rv = obj.metadata.resourceVersion;
    if (rv !== undefined && rv !== '' && rv !== existing.metadata.resourceVersion) throw conflict(res, name);
    return this.commitUpdate(res, existing, obj, opts);
  }

  /** Turn a proposed new version into the stored one (shared by PUT, PATCH and controllers). */
  commitUpdate(res: ResourceDef, existing: KubeObject, proposed: KubeObject, opts: WriteOptions, managedFieldsFromApply = false): KubeObject {
    const sub = opts.subresource;
    let next: KubeObject;
    if (sub === 'status') {
      // Stored objects are immutable: a shallow copy with a fresh metadata and status will do.
      // A Deployment's or ReplicaSet's status strategy resets only spec and labels: the rest of the
      // metadata (the controller's revision annotation) may change with the status.
      // Shallow, like the rest of a stored object's reuse: nested values are never changed in place.
      const metadata = STATUS_WITH_METADATA.has(res.plural) ? { ...proposed.metadata, labels: existing.metadata.labels } : { ...existing.metadata };
      if (metadata.labels === undefined) delete metadata.labels;
      next = { ...existing, metadata };
      if (proposed.status === undefined) delete next.status;
      else next.status = deepClone(proposed.status);
    } else if (managedFieldsFromApply) {
      // Server-side apply's merge result is already a private copy (a clone of the live object
      // merged with the request body): cloning it again would only cost time.
      next = proposed;
    } else next = deepClone(proposed);
    if (sub === 'status') {
      // status only
    } else if (res.subresources.includes('status') && res.plural !== 'namespaces' && res.plural !== 'services') {
      if (existing.status === undefined) delete next.status;
      else next.status = deepClone(existing.status);
    }
    const em = existing.metadata;
    const meta = next.metadata;
    meta.name = em.name;
    if (em.namespace !== undefined) meta.namespace = em.namespace;
    meta.uid = em.uid;
    meta.creationTimestamp = em.creationTimestamp;
    if (em.deletionTimestamp) meta.deletionTimestamp = em.deletionTimestamp;
    else delete meta.deletionTimestamp;
    if (!managedFieldsFromApply) {
      if (em.managedFields) meta.managedFields = em.managedFields;
      else delete meta.managedFields;
    }
    if (res.plural === 'namespaces') {
      if (sub !== 'status' && sub !== 'finalize') next.status = existing.status ?? { phase: 'Active' };
      if (sub !== 'finalize') next.spec = existing.spec ?? {};
    }
    if (sub !== 'status') {
      if (res.plural === 'services') keepAllocations(next, existing);
      applyDefaults(res, next, false);
      for (const a of this.admission) a.admit(res, next, 'UPDATE', existing);
      validateObject(res, next, existing);
    } else if (next.metadata !== existing.metadata && !deepEqual(next.metadata, existing.metadata)) {
      // Metadata changed through the status: validated as any update's.
      validateStatusMetadata(res, next);
    }
    if (HAS_GENERATION.has(res.plural)) {
      const gen = em.generation ?? 1;
      meta.generation = sub !== 'status' && !deepEqual(withoutMetaStatus(next), withoutMetaStatus(existing)) ? gen + 1 : gen;
    }
    meta.resourceVersion = em.resourceVersion;
    if (!managedFieldsFromApply) {
      const mf = recordUpdate(existing, next, opts.fieldManager ?? 'unknown', sub === 'status' ? 'status' : sub === 'scale' ? 'scale' : undefined);
      if (mf) meta.managedFields = mf;
      else delete meta.managedFields;
    }
    const sameContent = deepEqual({ ...next, metadata: { ...meta, managedFields: undefined } }, { ...existing, metadata: { ...em, managedFields: undefined } });
    if (sameContent && sameOwnership(meta.managedFields, em.managedFields)) return existing;
    if (opts.dryRun) return next;
    if (meta.deletionTimestamp && (meta.finalizers ?? []).length === 0 && res.plural !== 'namespaces') {
      return this.store.remove(res, em.namespace ?? '', em.name ?? '') ?? next;
    }
    return this.store.write(res, next);
  }

  /** PATCH in any of the four content types; apply patches may create the object. */
  patch(res: ResourceDef, ns: string, name: string, type: PatchType, body: unknown, opts: WriteOptions = {}): { obj: KubeObject; created: boolean } {
    const existing = this.store.get(res, ns, name);
    if (type === 'apply') return this.apply(res, ns, name, existing, body, opts);
    if (!existing) throw notFound(res, name);
    let patched: unknown;
    if (type === 'json') patched = applyJsonPatch(existing, body);
    else if (type === 'merge') patched = applyMergePatch(existing, body);
    else patched = applyStrategicMergePatch(existing, body);
    if (!isMap(patched) || !isMap(patched['metadata'])) throw badRequest('patch produced an invalid object');
    const proposed = patched as KubeObject;
    decodeStructure(res, proposed, 'patch', opts);
    const rv = proposed.metadata.resourceVersion;
    if (rv !== undefined && rv !== existing.metadata.resourceVersion) throw conflict(res, name);
    if (proposed.metadata.name !== name) throw badRequest(`the name of the object (${String(proposed.metadata.name)}) does not match the name on the URL (${name})`);
    return { obj: this.commitUpdate(res, existing, proposed, opts), created: false };
  }

  private apply(res: ResourceDef, ns: string, name: string, existing: KubeObject | undefined, body: unknown, opts: WriteOptions): { obj: KubeObject; created: boolean } {
    const manager = opts.fieldManager;
    if (!manager) throw new ApiError(400, 'BadRequest', 'PATCH, application/apply-patch+yaml requires a non-empty fieldManager query parameter');
    if (!isMap(body)) throw badRequest('apply patch must be an object');
    const applied = body as KubeObject;
    if (applied.kind !== res.kind || applied.apiVersion !== res.apiVersion) {
      throw badRequest(`apply patch kind/apiVersion (${String(applied.apiVersion)}, ${String(applied.kind)}) does not match the resource (${res.apiVersion}, ${res.kind})`);
    }
    if (!isMap(applied.metadata)) applied.metadata = {};
    if (applied.metadata.name !== undefined && applied.metadata.name !== name) {
      throw badRequest(`the name of the object (${String(applied.metadata.name)}) does not match the name on the URL (${name})`);
    }
    applied.metadata.name = name;
    if (res.namespaced) applied.metadata.namespace = ns;
    const rv = applied.metadata.resourceVersion;
    delete applied.metadata.resourceVersion;
    if (opts.subresource !== 'status' && res.subresources.includes('status')) delete applied.status;
    decodeStructure(res, applied, 'apply', opts);
    if (!existing) {
      const merged = serverSideApply(undefined, applied, manager, true);
      const created = this.createApplied(res, ns, merged, opts);
      return { obj: created, created: true };
    }
    if (rv !== undefined && rv !== existing.metadata.resourceVersion) throw conflict(res, name);
    const merged = serverSideApply(existing, applied, manager, opts.force ?? false);
    return { obj: this.commitUpdate(res, existing, merged, opts, true), created: false };
  }

  private createApplied(res: ResourceDef, ns: string, merged: KubeObject, opts: WriteOptions): KubeObject {
    const mf = merged.metadata.managedFields;
    // With apply's own managedFields at hand, the Update entry a plain create records would only be replaced.
    const obj = this.createDecoded(res, ns, this.prepareIdentity(res, ns, merged), { ...opts, dryRun: true }, mf);
    if (mf) obj.metadata.managedFields = mf;
    if (opts.dryRun) return obj;
    return this.store.write(res, obj);
  }

  /**
   * Controllers' shorthand: write a new status computed from the current object. `annotations`
   * (resources in STATUS_WITH_METADATA only) go in the same write, as the Deployment controller
   * sets its revision annotation with its status.
   */
  updateStatus(res: ResourceDef, obj: KubeObject, status: JsonMap, manager: string, annotations?: Record<string, string>): KubeObject {
    const current = this.get(res, obj.metadata.namespace ?? '', obj.metadata.name ?? '');
    const metadata = annotations && !deepEqual(annotations, current.metadata.annotations) ? { ...current.metadata, annotations } : current.metadata;
    if (deepEqual(current.status, status) && metadata === current.metadata) return current;
    return this.commitUpdate(res, current, { ...current, metadata, status }, { fieldManager: manager, subresource: 'status' });
  }
}

/**
 * A Service's allocated clusterIP(s) and nodePorts survive an update that omits them (the
 * apiserver's patchAllocatedValues), so `kubectl replace` keeps the address.
 */
function keepAllocations(next: KubeObject, old: KubeObject): void {
  const spec = next.spec ?? (next.spec = {});
  const oldSpec = old.spec ?? {};
  if (spec['type'] === 'ExternalName') return;
  for (const k of ['clusterIP', 'clusterIPs', 'ipFamilies', 'ipFamilyPolicy']) {
    if ((spec[k] === undefined || spec[k] === '') && oldSpec[k] !== undefined) spec[k] = deepClone(oldSpec[k]);
  }
  const oldPorts = Array.isArray(oldSpec['ports']) ? (oldSpec['ports'] as JsonMap[]) : [];
  if (Array.isArray(spec['ports'])) {
    for (const p of spec['ports'] as unknown[]) {
      if (!isMap(p) || p['nodePort'] !== undefined) continue;
      const match = oldPorts.find((o) => o['port'] === p['port'] && (o['protocol'] ?? 'TCP') === (p['protocol'] ?? 'TCP'));
      if (match?.['nodePort'] !== undefined) p['nodePort'] = match['nodePort'];
    }
  }
}
