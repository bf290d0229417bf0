import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ResourceDef } from './resources.js';
import { objectFilter } from './list.js';
import { toJson, type Store, type StoreEvent } from './store.js';
import { toTable, wantsTable } from './table.js';
import type { KubeObject } from './types.js';

export interface WatchOptions {
  bookmarkIntervalMs: number;
}

interface ActiveWatch {
  res: ServerResponse;
  close: () => void;
}

/** Streams watch events (newline-delimited JSON) from the store's event log to HTTP clients. */
export class WatchHub {
  private readonly active = new Set<ActiveWatch>();

  constructor(
    private readonly store: Store,
    private readonly opts: WatchOptions,
  ) {}

  get count(): number {
    return this.active.size;
  }

  /** Abruptly close every watch connection (fault injection). */
  dropAll(): void {
    for (const w of [...this.active]) {
      w.close();
      w.res.destroy();
    }
  }

  closeAll(): void {
    for (const w of [...this.active]) {
      w.close();
      w.res.end();
    }
  }

  serve(req: IncomingMessage, httpRes: ServerResponse, res: ResourceDef, ns: string | undefined, q: URLSearchParams, convert?: (o: KubeObject) => KubeObject): void {
    const filter = objectFilter(res, q);
    const table = wantsTable(req.headers.accept);
    const includeObject = q.get('includeObject') ?? 'Metadata';
    const matches = (o: KubeObject | undefined): boolean =>
      o !== undefined && (ns === undefined || (o.metadata.namespace ?? '') === ns) && filter(o);
    let headersSent = false;
    const line = (type: string, obj: KubeObject): string => {
      if (table && type !== 'BOOKMARK' && type !== 'ERROR') {
        const t = toTable(res, [obj], { resourceVersion: obj.metadata.resourceVersion ?? '' }, includeObject, !headersSent);
        headersSent = true;
        return `{"type":"${type}","object":${JSON.stringify(t)}}\n`;
      }
      return `{"type":"${type}","object":${convert ? JSON.stringify(convert(obj)) : toJson(obj)}}\n`;
    };
    httpRes.writeHead(200, {
      'Content-Type': table ? 'application/json;as=Table;v=v1;g=meta.k8s.io' : 'application/json',
      'Cache-Control': 'no-cache, private',
      'Transfer-Encoding': 'chunked',
    });
    httpRes.flushHeaders();
    let closed = false;
    // Events of one turn of the event loop leave in one chunk: one socket write instead of one per
    // event. The turn ends at setImmediate, after the poll phase, so the events of every request
    // answered in that phase (and of a controller's drain) share it. kube-apiserver likewise flushes
    // a watch only once no further event is waiting. Order and content are unchanged.
    let buffered: string[] = [];
    const flush = (): void => {
      if (!buffered.length) return;
      const text = buffered.length === 1 ? buffered[0]! : buffered.join('');
      buffered = [];
      if (!httpRes.destroyed && !httpRes.writableEnded) httpRes.write(text);
    };
    const out = (text: string): void => {
      if (!buffered.length) setImmediate(flush);
      buffered.push(text);
    };
    const rvParam = q.get('resourceVersion');
    const pending: StoreEvent[] = [];
    let replaying = true;
    const onEvent = (ev: StoreEvent): void => {
      if (replaying) {
        pending.push(ev);
        return;
      }
      send(ev);
    };
    const send = (ev: StoreEvent): void => {
      const now = matches(ev.obj);
      const before = ev.type === 'MODIFIED' && matches(ev.old);
      if (ev.type === 'MODIFIED') {
        if (now && before) out(line('MODIFIED', ev.obj));
        else if (now) out(line('ADDED', ev.obj));
        else if (before) out(line('DELETED', ev.obj));
      } else if (now) out(line(ev.type, ev.obj));
    };
    const unsubscribe = this.store.subscribeResource(res, onEvent);
    const timers: NodeJS.Timeout[] = [];
    const entry: ActiveWatch = {
      res: httpRes,
      close: () => {
        if (closed) return;
        closed = true;
        flush();
        unsubscribe();
        for (const t of timers) clearTimeout(t);
        this.active.delete(entry);
      },
    };
    this.active.add(entry);
    httpRes.on('close', entry.close);
    const bookmark = (extra?: Record<string, string>): void => {
      const obj: KubeObject = {
        kind: res.kind,
        apiVersion: res.apiVersion,
        metadata: { resourceVersion: String(this.store.revision), ...(extra ? { annotations: extra } : {}) },
      };
      out(`{"type":"BOOKMARK","object":${JSON.stringify(obj)}}\n`);
    };
    const sinceRaw = rvParam && rvParam !== '0' ? Number(rvParam) : undefined;
    const sendInitial = q.get('sendInitialEvents') === 'true' || sinceRaw === undefined;
    if (sinceRaw !== undefined && !Number.isNaN(sinceRaw) && q.get('sendInitialEvents') !== 'true') {
      const history = this.store.eventsSince(sinceRaw, res);
      if (history === 'gone') {
        const status = {
          kind: 'Status',
          apiVersion: 'v1',
          metadata: {},
          status: 'Failure',
          message: `too old resource version: ${sinceRaw} (${this.store.compactedRevision + 1})`,
          reason: 'Expired',
          code: 410,
        };
        httpRes.end(`{"type":"ERROR","object":${JSON.stringify(status)}}\n`);
        entry.close();
        return;
      }
      for (const ev of history) send(ev);
    } else if (sendInitial) {
      const items = this.store.list(res, ns).filter((o) => filter(o));
      items.sort((a, b) => Number(a.metadata.resourceVersion) - Number(b.metadata.resourceVersion));
      for (const o of items) out(line('ADDED', o));
      if (q.get('sendInitialEvents') === 'true' && q.get('allowWatchBookmarks') === 'true') bookmark({ 'k8s.io/initial-events-end': 'true' });
    }
    replaying = false;
    for (const ev of pending.splice(0)) send(ev);
    if (q.get('allowWatchBookmarks') === 'true' || q.get('allowWatchBookmarks') === '1') {
      const tick = (): void => {
        if (closed) return;
        bookmark();
        timers.push(setTimeout(tick, this.opts.bookmarkIntervalMs).unref());
      };
      timers.push(setTimeout(tick, this.opts.bookmarkIntervalMs).unref());
    }
    const timeout = q.get('timeoutSeconds');
    const seconds = timeout ? Number(timeout) : 1800 + Math.random() * 1800;
    timers.push(
      setTimeout(() => {
        entry.close();
        httpRes.end();
      }, seconds * 1000).unref(),
    );
  }
}
