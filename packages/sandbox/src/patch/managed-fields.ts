import { LRUCache } from 'lru-cache';
import { ApiError, type StatusCause } from '../errors.js';
import { deepEqual, nowIso, shallowCopy, type JsonMap, type KubeObject, type ManagedFieldsEntry, deepClone } from '../types.js';
import { changedPathsOf, fieldsOf, fromFieldsV1, ownsUnder, pathToString, removeAt, toFieldsV1, valueAt, type FieldSet } from './fieldset.js';
import { onPathTableReset, parentOf, pathTableFull, pathText, resetPathTable, ROOT, type PathId } from './paths.js';
import { mergeStructured } from './strategic-merge.js';

/** How many recently written objects keep their parsed field sets (the caches below). */
const RECENT = 16_384;

interface Owner {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  subresource: string | undefined;
  time: string;
  set: FieldSet;
  touched: boolean;
  /** The entry this owner was read from, reused as is when its set did not change. */
  source: ManagedFieldsEntry | undefined;
}

/**
 * Parsed field sets per (immutable) FieldsV1 object: parse once, share read-only. Kept for recently
 * written objects (the next write of an object usually follows soon: a controller's status update),
 * not for every stored one: a set for every object would outweigh the objects.
 */
const parsed = new LRUCache<object, FieldSet>({ max: RECENT });

function parseSet(fields: object): FieldSet {
  let set = parsed.get(fields);
  if (!set) {
    set = fromFieldsV1(fields);
    parsed.set(fields, set);
  }
  return set;
}

onPathTableReset(() => {
  parsed.clear();
  walked.clear();
});

/** Called first by each entry point: ids of an emptied table are only ever made after it. */
function freshPaths(): void {
  if (pathTableFull()) resetPathTable();
}

function parse(obj: KubeObject | undefined): Owner[] {
  return (obj?.metadata.managedFields ?? []).map((e) => ({
    manager: e.manager,
    operation: e.operation,
    apiVersion: e.apiVersion,
    subresource: e.subresource,
    time: e.time,
    set: parseSet(e.fieldsV1),
    touched: false,
    source: e,
  }));
}

/** Copy-on-write: give the owner a private set before changing it. */
function writable(o: Owner): FieldSet {
  if (o.source) {
    o.set = new Set(o.set);
    o.source = undefined;
  }
  return o.set;
}

function render(owners: Owner[]): ManagedFieldsEntry[] | undefined {
  const now = nowIso();
  const out: ManagedFieldsEntry[] = [];
  for (const o of owners) {
    if (o.set.size === 0) continue;
    if (o.source && !o.touched) {
      out.push(o.source);
      continue;
    }
    const fieldsV1 = o.source ? o.source.fieldsV1 : toFieldsV1(o.set);
    parsed.set(fieldsV1, o.set);
    const e: ManagedFieldsEntry = {
      manager: o.manager,
      operation: o.operation,
      apiVersion: o.apiVersion,
      time: o.touched ? now : o.time,
      fieldsType: 'FieldsV1',
      fieldsV1,
    };
    if (o.subresource) e.subresource = o.subresource;
    out.push(e);
  }
  return out.length ? out : undefined;
}

function setsEqual(a: FieldSet, b: FieldSet): boolean {
  if (a.size !== b.size) return false;
  for (const p of a) if (!b.has(p)) return false;
  return true;
}

/** Same owners owning the same fields (timestamps aside)? */
export function sameOwnership(a: ManagedFieldsEntry[] | undefined, b: ManagedFieldsEntry[] | undefined): boolean {
  const x = a ?? [];
  const y = b ?? [];
  if (x.length !== y.length) return false;
  return x.every((e, i) => {
    const f = y[i]!;
    return e.manager === f.manager && e.operation === f.operation && e.subresource === f.subresource && deepEqual(e.fieldsV1, f.fieldsV1);
  });
}

function stripMeta(obj: KubeObject): JsonMap {
  const { managedFields: _mf, ...meta } = obj.metadata;
  return { ...obj, metadata: meta };
}

/**
 * Field sets of objects recordUpdate saw, per object and walk (whole object or status only). The
 * new version of one write is the old version of the next: its set was walked already. Valid
 * because the registry stores the object it recorded after changing only managedFields and
 * resourceVersion, which the walk skips (stripMeta drops the former; the latter cannot turn an
 * empty metadata non-empty, as sets are only kept for objects whose metadata has other keys),
 * and stored objects never change. Sets are shared: read only.
 */
const walked = new LRUCache<KubeObject, { all?: FieldSet; status?: FieldSet }>({ max: RECENT });

function walkedFields(obj: KubeObject, bare: JsonMap, status: boolean): FieldSet {
  let entry = walked.get(obj);
  const known = status ? entry?.status : entry?.all;
  if (known) return known;
  const set = fieldsOf(bare, status);
  if (Object.keys(bare['metadata'] as JsonMap).length === 0) return set;
  if (!entry) walked.set(obj, (entry = {}));
  if (status) entry.status = set;
  else entry.all = set;
  return set;
}

/** Ownership after a non-apply write: the writer takes the fields it changed from everybody else. */
export function recordUpdate(
  oldObj: KubeObject | undefined,
  newObj: KubeObject,
  manager: string,
  subresource: string | undefined,
): ManagedFieldsEntry[] | undefined {
  freshPaths();
  if (!oldObj) return recordCreate(newObj, manager, subresource);
  const owners = parse(oldObj);
  const status = subresource === 'status';
  const oldBare = stripMeta(oldObj);
  const newBare = stripMeta(newObj);
  let oldSet = walkedFields(oldObj, oldBare, status);
  let newSet = walkedFields(newObj, newBare, status);
  if (status && !deepEqual(oldBare['metadata'], newBare['metadata'])) {
    // A status write that changed metadata too (what a Deployment's status strategy lets through,
    // e.g. its revision annotation): the writer owns what it changed there as well, in its status entry.
    oldSet = new Set([...oldSet, ...fieldsOf({ metadata: oldBare['metadata'] })]);
    newSet = new Set([...newSet, ...fieldsOf({ metadata: newBare['metadata'] })]);
  }
  const { changed, removed } = changedPathsOf(oldBare, newBare, oldSet, newSet);
  if (changed.size === 0 && removed.size === 0) return oldObj.metadata.managedFields;
  let me = owners.find((o) => o.manager === manager && o.operation === 'Update' && o.subresource === subresource);
  if (!me) {
    me = { manager, operation: 'Update', apiVersion: newObj.apiVersion ?? 'v1', subresource, time: nowIso(), set: new Set(), touched: true, source: undefined };
    owners.push(me);
  }
  for (const o of owners) {
    if (o === me) continue;
    let hit = false;
    for (const p of changed) if (o.set.has(p)) hit = true;
    for (const p of removed) if (o.set.has(p)) hit = true;
    if (!hit) continue;
    const set = writable(o);
    for (const p of changed) set.delete(p);
    for (const p of removed) set.delete(p);
  }
  let grows = false;
  for (const p of changed) if (!me.set.has(p)) grows = true;
  for (const p of removed) if (me.set.has(p)) grows = true;
  if (grows) {
    const set = writable(me);
    for (const p of changed) set.add(p);
    for (const p of removed) set.delete(p);
  }
  me.touched = true;
  if (me.source) {
    // Same fields, new time: keep the FieldsV1 object, refresh the entry.
    me.source = { ...me.source, fieldsV1: me.source.fieldsV1 };
  }
  return render(owners);
}

/**
 * recordUpdate of a create: nobody owned anything before, so the writer owns every field the new
 * object sets. (The general path compares each field with an absent old object and copies the set
 * twice to reach the same entry.) The set is the walked one, shared read-only like every owner's.
 */
function recordCreate(newObj: KubeObject, manager: string, subresource: string | undefined): ManagedFieldsEntry[] | undefined {
  const set = walkedFields(newObj, stripMeta(newObj), subresource === 'status');
  if (set.size === 0) return undefined;
  return render([{ manager, operation: 'Update', apiVersion: newObj.apiVersion ?? 'v1', subresource, time: nowIso(), set, touched: true, source: undefined }]);
}

function conflictError(conflicts: { owner: Owner; path: PathId }[]): ApiError {
  const who = (o: Owner): string => `"${o.manager}" using ${o.apiVersion}`;
  const causes: StatusCause[] = conflicts.map((c) => ({
    reason: 'FieldManagerConflict',
    message: `conflict with ${who(c.owner)}`,
    field: pathToString(c.path),
  }));
  let text: string;
  if (conflicts.length === 1) text = `conflict with ${who(conflicts[0]!.owner)}: ${pathToString(conflicts[0]!.path)}`;
  else {
    const byOwner = new Map<Owner, string[]>();
    for (const c of conflicts) byOwner.set(c.owner, [...(byOwner.get(c.owner) ?? []), pathToString(c.path)]);
    text = [...byOwner.entries()].map(([o, ps]) => [`conflicts with ${who(o)}:`, ...ps.map((p) => `- ${p}`)].join('\n')).join('\n');
  }
  const n = conflicts.length;
  return new ApiError(409, 'Conflict', `Apply failed with ${n} conflict${n === 1 ? '' : 's'}: ${text}`, { causes });
}

/** The paths of a set with no other path of the set beneath them. */
function leaves(set: FieldSet): PathId[] {
  const above = new Set<PathId>();
  for (const q of set) {
    // Stop at a path marked before: everything above it is marked too.
    for (let p = parentOf(q); p !== ROOT && !above.has(p); p = parentOf(p)) above.add(p);
  }
  return [...set].filter((p) => !above.has(p));
}

/**
 * Server-side apply: merge `applied` into `live` for `manager`, detecting conflicts with other
 * managers, dropping fields the manager no longer applies (when nobody else owns them) and
 * recording ownership. Returns the merged object with new managedFields.
 */
export function serverSideApply(live: KubeObject | undefined, applied: JsonMap, manager: string, force: boolean): KubeObject {
  freshPaths();
  const owners = parse(live);
  const want = fieldsOf(applied);
  const apiVersion = typeof applied['apiVersion'] === 'string' ? applied['apiVersion'] : 'v1';
  let me = owners.find((o) => o.manager === manager && o.operation === 'Apply' && !o.subresource);
  const conflicts: { owner: Owner; path: PathId }[] = [];
  if (live) {
    const wanted = leaves(want);
    for (const o of owners) {
      if (o === me) continue;
      for (const p of wanted) {
        if (!o.set.has(p)) continue;
        const current = valueAt(live, p);
        if (!current.found || !deepEqual(current.value, valueAt(applied, p).value)) conflicts.push({ owner: o, path: p });
      }
    }
  }
  if (conflicts.length && !force) throw conflictError(conflicts);
  for (const c of conflicts) writable(c.owner).delete(c.path);
  const working = deepClone(live ? stripMeta(live) : {}) as JsonMap;
  if (me && live) {
    const others = owners.filter((o) => o !== me);
    // Parents first: removing a list item or map removes what is beneath it in one go.
    const dropped = [...me.set].filter((p) => !want.has(p)).sort((a, b) => pathText(a).length - pathText(b).length);
    for (const p of dropped) if (!others.some((o) => ownsUnder(o.set, p))) removeAt(working, p);
  }
  const merged = mergeStructured(working, applied) as KubeObject;
  if (!me) {
    me = { manager, operation: 'Apply', apiVersion, subresource: undefined, time: nowIso(), set: want, touched: true, source: undefined };
    owners.push(me);
  } else {
    const sameSet = setsEqual(me.set, want);
    me.touched = !sameSet || !deepEqual(stripMeta(merged), live ? stripMeta(live) : undefined);
    if (!sameSet) {
      me.set = want;
      me.source = undefined;
    } else if (me.touched && me.source) me.source = { ...me.source };
    me.apiVersion = apiVersion;
  }
  const managedFields = render(owners);
  merged.metadata = shallowCopy(merged.metadata ?? {});
  if (managedFields) merged.metadata.managedFields = managedFields;
  else delete merged.metadata.managedFields;
  return merged;
}
