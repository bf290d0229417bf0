import { ApiError, badRequest, successStatus } from './errors.js';
import type { Registry } from './registry.js';
import type { ResourceDef } from './resources.js';
import { isMap, nowIso, type JsonMap, type KubeObject } from './types.js';

export type PropagationPolicy = 'Foreground' | 'Background' | 'Orphan';

export interface DeleteOptions {
  propagationPolicy?: PropagationPolicy;
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: boolean;
  gracePeriodSeconds?: number;
}

export const FOREGROUND = 'foregroundDeletion';
export const ORPHAN = 'orphan';

/** Merge DeleteOptions from the body with query parameters. */
export function parseDeleteOptions(body: unknown, query: URLSearchParams): DeleteOptions {
  const opts: DeleteOptions = {};
  const b: JsonMap = isMap(body) ? body : {};
  const policy = query.get('propagationPolicy') ?? (typeof b['propagationPolicy'] === 'string' ? b['propagationPolicy'] : undefined);
  const orphan = query.get('orphanDependents') ?? (typeof b['orphanDependents'] === 'boolean' ? String(b['orphanDependents']) : undefined);
  if (policy !== undefined) {
    if (policy !== 'Foreground' && policy !== 'Background' && policy !== 'Orphan') {
      throw new ApiError(422, 'Invalid', `DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported value: "${policy}": supported values: "Foreground", "Background", "Orphan"`);
    }
    opts.propagationPolicy = policy;
  } else if (orphan === 'true') opts.propagationPolicy = 'Orphan';
  if (isMap(b['preconditions'])) {
    const p = b['preconditions'];
    opts.preconditions = {};
    if (typeof p['uid'] === 'string') opts.preconditions.uid = p['uid'];
    if (typeof p['resourceVersion'] === 'string') opts.preconditions.resourceVersion = p['resourceVersion'];
  }
  const dry = query.getAll('dryRun').concat(Array.isArray(b['dryRun']) ? b['dryRun'].map(String) : []);
  if (dry.some((d) => d !== 'All')) throw badRequest(`Invalid dry run value: ${dry.join(',')}`);
  opts.dryRun = dry.length > 0;
  return opts;
}

export interface DeleteResult {
  /** Body to answer with: the object (still present or as deleted) or a Success Status. */
  body: unknown;
  code: number;
}

/**
 * DELETE semantics: preconditions, finalizers, propagation policies (the garbage collector does
 * the cascading), and namespaces passing through Terminating.
 */
export function deleteObject(reg: Registry, res: ResourceDef, ns: string, name: string, opts: DeleteOptions): DeleteResult {
  const obj = reg.get(res, ns, name);
  const pre = opts.preconditions;
  if (pre?.uid && pre.uid !== obj.metadata.uid) {
    throw new ApiError(409, 'Conflict', `Operation cannot be fulfilled on ${res.qualified} "${name}": Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${obj.metadata.uid}`, { name, kind: res.plural });
  }
  if (pre?.resourceVersion && pre.resourceVersion !== obj.metadata.resourceVersion) {
    throw new ApiError(409, 'Conflict', `Operation cannot be fulfilled on ${res.qualified} "${name}": Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${obj.metadata.resourceVersion}`, { name, kind: res.plural });
  }
  if (opts.dryRun) return { body: obj, code: 200 };
  const policy = opts.propagationPolicy ?? 'Background';
  const finalizers = [...(obj.metadata.finalizers ?? [])];
  if (res.plural === 'namespaces') {
    if (obj.metadata.deletionTimestamp) return { body: obj, code: 200 };
    const next: KubeObject = {
      ...obj,
      metadata: { ...obj.metadata, deletionTimestamp: nowIso() },
      status: { ...(obj.status ?? {}), phase: 'Terminating' },
    };
    return { body: reg.store.write(res, next), code: 200 };
  }
  if (policy === 'Foreground' && !finalizers.includes(FOREGROUND)) finalizers.push(FOREGROUND);
  if (policy === 'Orphan' && !finalizers.includes(ORPHAN)) finalizers.push(ORPHAN);
  if (finalizers.length > 0) {
    const already = obj.metadata.deletionTimestamp !== undefined;
    const same = finalizers.length === (obj.metadata.finalizers ?? []).length;
    if (already && same) return { body: obj, code: 200 };
    const next: KubeObject = {
      ...obj,
      metadata: {
        ...obj.metadata,
        deletionTimestamp: obj.metadata.deletionTimestamp ?? nowIso(),
        deletionGracePeriodSeconds: 0,
        finalizers,
      },
    };
    if (next.metadata.generation !== undefined) next.metadata.generation += 1;
    return { body: reg.store.write(res, next), code: 200 };
  }
  const gone = reg.store.remove(res, ns, name);
  if (res.plural === 'pods') {
    return { body: { ...(gone ?? obj), metadata: { ...(gone ?? obj).metadata, deletionTimestamp: nowIso(), deletionGracePeriodSeconds: 0 } }, code: 200 };
  }
  return { body: successStatus(res, name, obj.metadata.uid), code: 200 };
}
