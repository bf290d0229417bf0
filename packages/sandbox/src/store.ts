import type { Persistence, Restored } from './persistence.js';
import type { ResourceDef } from './resources.js';
import type { KubeObject } from './types.js';

export type EventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoreEvent {
  /** Revision of this change (the object's resourceVersion after it). */
  rv: number;
  type: EventType;
  res: ResourceDef;
  obj: KubeObject;
  old: KubeObject | undefined;
}

export interface ObjectRef {
  res: ResourceDef;
  ns: string;
  name: string;
}

type Listener = (ev: StoreEvent) => void;

/**
 * Texts of the objects serialized in this turn of the event loop. A write's text is read within the
 * turn that made it (the response, each watch's event, the persistence log): keeping it any longer,
 * per stored object, doubled the memory of a large cluster and the time its collections took.
 */
let turnTexts = new Map<object, string>();
let clearing = false;

/** Serialize a stored (immutable) object once per turn: its response and watch fan-out share the text. */
export function toJson(obj: object): string {
  let s = turnTexts.get(obj);
  if (s === undefined) {
    s = JSON.stringify(obj);
    turnTexts.set(obj, s);
    if (!clearing) {
      clearing = true;
      setImmediate(() => {
        turnTexts = new Map();
        clearing = false;
      });
    }
  }
  return s;
}

/**
 * The etcd stand-in: objects per resource, per namespace, per name; a single revision counter;
 * a bounded history of events for watches. Stored objects are never mutated: every write stores
 * a fresh object, so readers can share them without copying.
 */
export class Store {
  private rev = 1;
  private readonly tables = new Map<ResourceDef, Map<string, Map<string, KubeObject>>>();
  private readonly ring: (StoreEvent | undefined)[];
  private head = 0;
  private size = 0;
  /** Highest revision no longer in the history (watches from before it get 410 Gone). */
  private compacted = 0;
  private readonly listeners = new Set<Listener>();
  private readonly resListeners = new Map<ResourceDef, Set<Listener>>();
  private readonly uids = new Map<string, ObjectRef>();
  /** ownerReferences index: owner uid → dependent uids. */
  private readonly owners = new Map<string, Set<string>>();

  /** Objects loaded from disk at start (controllers resync them). */
  readonly restored: Restored[] = [];

  constructor(
    historySize = 10000,
    private readonly persistence?: Persistence,
  ) {
    this.ring = new Array<StoreEvent | undefined>(historySize);
    if (persistence) {
      const { revision, objects } = persistence.load();
      for (const r of objects) this.put(r.res, r.obj);
      this.restored = objects;
      this.rev = Math.max(this.rev, revision);
      // The event history did not survive: watches from before the restart get 410 Gone.
      this.compacted = revision;
      persistence.attach(() => this.state());
    }
  }

  private put(res: ResourceDef, obj: KubeObject): void {
    const ns = obj.metadata.namespace ?? '';
    const t = this.table(res);
    let m = t.get(ns);
    if (!m) t.set(ns, (m = new Map()));
    m.set(obj.metadata.name ?? '', obj);
    if (obj.metadata.uid) this.uids.set(obj.metadata.uid, { res, ns, name: obj.metadata.name ?? '' });
    if (obj.metadata.ownerReferences) this.index(obj, true);
  }

  private *allObjects(): Iterable<Restored> {
    for (const [res, t] of this.tables) for (const m of t.values()) for (const obj of m.values()) yield { res, obj };
  }

  private state(): { revision: number; objects: Iterable<Restored> } {
    return { revision: this.rev, objects: this.allObjects() };
  }

  /** Write everything to disk (a snapshot) and release the files; no-op without a data directory. */
  close(): void {
    if (!this.persistence) return;
    this.persistence.flush();
    this.persistence.snapshot(this.state());
    this.persistence.close();
  }

  get revision(): number {
    return this.rev;
  }

  get compactedRevision(): number {
    return this.compacted;
  }

  private table(res: ResourceDef): Map<string, Map<string, KubeObject>> {
    let t = this.tables.get(res);
    if (!t) {
      t = new Map();
      this.tables.set(res, t);
    }
    return t;
  }

  get(res: ResourceDef, ns: string, name: string): KubeObject | undefined {
    return this.tables.get(res)?.get(ns)?.get(name);
  }

  byUid(uid: string): ObjectRef | undefined {
    return this.uids.get(uid);
  }

  /** Objects whose ownerReferences name `ownerUid` (optionally of one resource). */
  dependents(ownerUid: string, res?: ResourceDef): KubeObject[] {
    const out: KubeObject[] = [];
    for (const uid of this.owners.get(ownerUid) ?? []) {
      const ref = this.uids.get(uid);
      if (!ref || (res && ref.res !== res)) continue;
      const obj = this.get(ref.res, ref.ns, ref.name);
      if (obj) out.push(obj);
    }
    return out;
  }

  dependentUids(ownerUid: string): string[] {
    return [...(this.owners.get(ownerUid) ?? [])];
  }

  private index(obj: KubeObject | undefined, add: boolean): void {
    const uid = obj?.metadata.uid;
    if (!uid) return;
    for (const ref of obj.metadata.ownerReferences ?? []) {
      let set = this.owners.get(ref.uid);
      if (add) {
        if (!set) this.owners.set(ref.uid, (set = new Set()));
        set.add(uid);
      } else if (set) {
        set.delete(uid);
        if (set.size === 0) this.owners.delete(ref.uid);
      }
    }
  }

  /** All objects of a resource, in one namespace or all of them (unsorted). */
  list(res: ResourceDef, ns?: string): KubeObject[] {
    const t = this.tables.get(res);
    if (!t) return [];
    if (ns !== undefined) return [...(t.get(ns)?.values() ?? [])];
    const out: KubeObject[] = [];
    for (const m of t.values()) for (const o of m.values()) out.push(o);
    return out;
  }

  count(res: ResourceDef, ns?: string): number {
    const t = this.tables.get(res);
    if (!t) return 0;
    if (ns !== undefined) return t.get(ns)?.size ?? 0;
    let n = 0;
    for (const m of t.values()) n += m.size;
    return n;
  }

  resources(): ResourceDef[] {
    return [...this.tables.keys()];
  }

  /** Store a new version of an object; assigns the next resourceVersion. */
  write(res: ResourceDef, obj: KubeObject): KubeObject {
    const ns = obj.metadata.namespace ?? '';
    const name = obj.metadata.name ?? '';
    const t = this.table(res);
    let m = t.get(ns);
    if (!m) {
      m = new Map();
      t.set(ns, m);
    }
    const old = m.get(name);
    const rv = ++this.rev;
    obj.metadata.resourceVersion = String(rv);
    m.set(name, obj);
    // An object keeps its uid, name and namespace for life: a new version (most writes are status
    // updates) changes neither index unless its ownerReferences changed. Re-setting them allocated
    // a reference per write that then lived on, for the collector to copy.
    const uid = obj.metadata.uid;
    if (uid && old?.metadata.uid !== uid) this.uids.set(uid, { res, ns, name });
    if (old?.metadata.ownerReferences !== obj.metadata.ownerReferences || old?.metadata.uid !== uid) {
      if (old?.metadata.ownerReferences) this.index(old, false);
      if (obj.metadata.ownerReferences) this.index(obj, true);
    }
    this.emit({ rv, type: old ? 'MODIFIED' : 'ADDED', res, obj, old });
    return obj;
  }

  /** Remove an object; the DELETED event carries it with a new resourceVersion. */
  remove(res: ResourceDef, ns: string, name: string): KubeObject | undefined {
    const m = this.tables.get(res)?.get(ns);
    const old = m?.get(name);
    if (!m || !old) return undefined;
    m.delete(name);
    if (m.size === 0) this.tables.get(res)?.delete(ns);
    if (old.metadata.uid) this.uids.delete(old.metadata.uid);
    this.index(old, false);
    const rv = ++this.rev;
    const gone: KubeObject = { ...old, metadata: { ...old.metadata, resourceVersion: String(rv) } };
    this.emit({ rv, type: 'DELETED', res, obj: gone, old });
    return gone;
  }

  private emit(ev: StoreEvent): void {
    this.persistence?.append(ev);
    const cap = this.ring.length;
    const idx = (this.head + this.size) % cap;
    if (this.size === cap) {
      this.compacted = this.ring[this.head]!.rv;
      this.head = (this.head + 1) % cap;
    } else this.size++;
    this.ring[idx] = ev;
    for (const l of this.resListeners.get(ev.res) ?? []) l(ev);
    for (const l of this.listeners) l(ev);
  }

  /** Events with rv > since, or 'gone' when the history no longer reaches back that far. */
  eventsSince(since: number, res?: ResourceDef): StoreEvent[] | 'gone' {
    if (since < this.compacted) return 'gone';
    const out: StoreEvent[] = [];
    const cap = this.ring.length;
    // Binary search would be possible; events are few compared with requests, scan from the end.
    let i = this.size - 1;
    while (i >= 0 && this.ring[(this.head + i) % cap]!.rv > since) i--;
    for (let j = i + 1; j < this.size; j++) {
      const ev = this.ring[(this.head + j) % cap]!;
      if (!res || ev.res === res) out.push(ev);
    }
    return out;
  }

  subscribe(fn: Listener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  subscribeResource(res: ResourceDef, fn: Listener): () => void {
    let s = this.resListeners.get(res);
    if (!s) {
      s = new Set();
      this.resListeners.set(res, s);
    }
    s.add(fn);
    return () => s.delete(fn);
  }
}
