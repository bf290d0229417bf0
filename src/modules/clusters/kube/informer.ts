// A list+watch cache of one kind on one cluster, the way client-go's informers work: list (paged)
// to learn every object and a resourceVersion, then watch from that resourceVersion with bookmarks
// (which move the resume point forward while nothing changes), resume the watch from the last
// resourceVersion seen when the connection ends, and list again only when the API server answers
// 410 Gone (the resume point was compacted away). The cache keeps a compact value per object (what
// `reduce` returns), never the objects themselves, so its memory is bounded by what its owner needs.
import type { KubeGateway, KubeObject } from './kube-gateway.js';
import { KubeError } from './kube-errors.js';

export interface InformerOptions<T> {
  apiVersion: string;
  kind: string;
  labelSelector: string;
  /** What the cache keeps per object. */
  reduce(object: KubeObject): T;
  /**
   * A cached object appeared, changed or went (`before`/`after` undefined), from a watch event or
   * from the difference a relist found. Not called for the first list.
   */
  changed(name: { namespace: string; name: string }, before: T | undefined, after: T | undefined): void;
  /** The cache is complete (first list done) or not (the cluster cannot be listed). */
  syncedChanged?(synced: boolean, error?: unknown): void;
  pageSize?: number;
}

const PAGE_SIZE = 500;
const MAX_BACKOFF_MS = 30_000;

export class Informer<T> {
  /** namespace → name → compact value; cluster-scoped objects live under ''. */
  private readonly store = new Map<string, Map<string, T>>();
  private resourceVersion = '';
  private aborter: AbortController | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private failures = 0;
  private hasSynced = false;
  private listedOnce = false;
  /** How many lists and watches this informer started (tests and metrics). */
  readonly counts = { lists: 0, watches: 0, relists: 0 };

  constructor(
    private readonly gateway: KubeGateway,
    private readonly options: InformerOptions<T>,
  ) {}

  get synced(): boolean {
    return this.hasSynced;
  }

  start(): void {
    void this.list();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.aborter?.abort();
    this.store.clear();
  }

  get(namespace: string | undefined, name: string): T | undefined {
    return this.store.get(namespace ?? '')?.get(name);
  }

  /** Every cached object of a namespace. */
  inNamespace(namespace: string): ReadonlyMap<string, T> {
    return this.store.get(namespace) ?? new Map<string, T>();
  }

  get size(): number {
    let n = 0;
    for (const names of this.store.values()) n += names.size;
    return n;
  }

  private async list(): Promise<void> {
    if (this.stopped) return;
    const relist = this.listedOnce;
    if (relist) this.counts.relists += 1;
    const fresh = new Map<string, Map<string, T>>();
    try {
      let token: string | undefined;
      let version = '';
      do {
        this.counts.lists += 1;
        const page = await this.gateway.listPage(this.options.apiVersion, this.options.kind, this.options.labelSelector, this.options.pageSize ?? PAGE_SIZE, token);
        if (this.stopped) return;
        // The first page's resourceVersion is the list's: continuation pages are served from it.
        if (!token) version = page.resourceVersion;
        for (const object of page.items) {
          // List items leave out apiVersion and kind (the list carries them).
          object.apiVersion ??= this.options.apiVersion;
          object.kind ??= this.options.kind;
          put(fresh, object.metadata.namespace ?? '', object.metadata.name, this.options.reduce(object));
        }
        token = page.continue;
      } while (token);
      this.resourceVersion = version;
    } catch (error) {
      this.retry(() => this.list(), error);
      return;
    }
    if (relist) this.replaceWith(fresh);
    else for (const [ns, names] of fresh) this.store.set(ns, names);
    this.failures = 0;
    this.listedOnce = true;
    if (!this.hasSynced) {
      this.hasSynced = true;
      this.options.syncedChanged?.(true);
    }
    void this.watch();
  }

  /** After a relist: what disappeared or changed while the watch could not say so is reported now. */
  private replaceWith(fresh: Map<string, Map<string, T>>): void {
    const old = new Map(this.store);
    this.store.clear();
    for (const [ns, names] of fresh) this.store.set(ns, names);
    for (const [ns, names] of old) {
      for (const [name, before] of names) {
        const after = fresh.get(ns)?.get(name);
        if (after === undefined || !sameValue(before, after)) this.options.changed({ namespace: ns, name }, before, after);
      }
    }
    for (const [ns, names] of fresh) {
      for (const [name, after] of names) if (old.get(ns)?.get(name) === undefined) this.options.changed({ namespace: ns, name }, undefined, after);
    }
  }

  private async watch(): Promise<void> {
    if (this.stopped) return;
    let gone = false;
    let failure: unknown;
    try {
      this.counts.watches += 1;
      this.aborter = await this.gateway.watchFrom(this.options.apiVersion, this.options.kind, this.options.labelSelector, this.resourceVersion, (type, object) => {
        if (type === 'ERROR') {
          // 410 Gone: the resume point is older than what the API server keeps; list again. Any
          // other Status ends the watch as a failure (retried after a pause, never in a tight loop).
          if ((object as { code?: number }).code === 410) gone = true;
          else failure = new Error(`watch of ${this.options.kind} failed: ${JSON.stringify(object).slice(0, 300)}`);
          this.aborter?.abort();
          return;
        }
        const rv = object.metadata.resourceVersion;
        if (rv) this.resourceVersion = rv;
        if (type === 'BOOKMARK') return;
        this.apply(type, object);
      }, (error) => {
        if (this.stopped) return;
        if (gone) {
          void this.list();
          return;
        }
        // A normal end (the server's timeout) resumes at once; a failure after a pause.
        if (error === undefined && failure === undefined) {
          this.failures = 0;
          void this.watch();
        } else this.retry(() => this.watch(), error ?? failure);
      });
      this.failures = 0;
    } catch (error) {
      if (error instanceof KubeError && error.kind === 'gone') {
        void this.list();
        return;
      }
      this.retry(() => this.watch(), error);
    }
  }

  private apply(type: string, object: KubeObject): void {
    const ns = object.metadata.namespace ?? '';
    const name = object.metadata.name;
    const before = this.store.get(ns)?.get(name);
    if (type === 'DELETED') {
      if (before === undefined) return;
      const names = this.store.get(ns)!;
      names.delete(name);
      if (names.size === 0) this.store.delete(ns);
      this.options.changed({ namespace: ns, name }, before, undefined);
      return;
    }
    const after = this.options.reduce(object);
    put(this.store, ns, name, after);
    this.options.changed({ namespace: ns, name }, before, after);
  }

  private retry(next: () => Promise<void>, error: unknown): void {
    if (this.stopped) return;
    this.failures += 1;
    if (this.failures >= 2 && this.hasSynced) {
      // A cluster that stays away: what the cache says can no longer be trusted as complete.
      this.hasSynced = false;
      this.options.syncedChanged?.(false, error);
    }
    // Once unsynced, everything is listed again (and compared) when the cluster answers.
    const then = this.hasSynced ? next : () => this.list();
    const delay = Math.random() * Math.min(MAX_BACKOFF_MS, 250 * 2 ** Math.min(this.failures, 8));
    this.timer = setTimeout(() => void then(), delay);
    this.timer.unref();
  }
}

function put<T>(store: Map<string, Map<string, T>>, ns: string, name: string, value: T): void {
  let names = store.get(ns);
  if (!names) store.set(ns, (names = new Map()));
  names.set(name, value);
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
