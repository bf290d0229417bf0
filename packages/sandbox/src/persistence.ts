import { closeSync, existsSync, fstatSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { findResource, type ResourceDef } from './resources.js';
import { toJson, type StoreEvent } from './store.js';
import type { KubeObject } from './types.js';

/** One object as it was restored from disk. */
export interface Restored {
  res: ResourceDef;
  obj: KubeObject;
}

interface LogLine {
  /** revision of the change */
  r: number;
  /** resource key: apiVersion/plural */
  k: string;
  /** the object written (absent for a delete) */
  o?: KubeObject;
  /** namespace and name removed */
  d?: [string, string];
}

const SNAPSHOT = 'snapshot.jsonl';
const LOG = 'changes.jsonl';
/** Compact the change log into a new snapshot after this many bytes of log. */
const COMPACT_BYTES = 64 * 1024 * 1024;

function keyOf(res: ResourceDef): string {
  return `${res.apiVersion}/${res.plural}`;
}

function resourceOf(key: string): ResourceDef | undefined {
  const i = key.lastIndexOf('/');
  return findResource(key.slice(0, i), key.slice(i + 1));
}

function objKey(res: ResourceDef, ns: string, name: string): string {
  return `${keyOf(res)}\u0000${ns}\u0000${name}`;
}

/**
 * The sandbox's on-disk state: a snapshot (JSON lines, first line the revision) plus an
 * append-only change log (one JSON line per write or delete). Both are only ever replaced by an
 * atomic rename, and the log is appended whole lines at a time (buffered per event-loop turn),
 * so a process killed at any point leaves at worst a torn last line, which loading skips:
 * a restart loses at most the writes of the last unflushed turn and never reads a corrupt state.
 */
export class Persistence {
  private fd: number | undefined;
  private buffer: string[] = [];
  private scheduled = false;
  private closed = false;
  private logBytes = 0;
  private state: (() => { revision: number; objects: Iterable<Restored> }) | undefined;

  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  /** Where compaction reads the current state from (the store). */
  attach(state: () => { revision: number; objects: Iterable<Restored> }): void {
    this.state = state;
  }

  /** Read snapshot and log: the objects and the revision they reached. */
  load(): { revision: number; objects: Restored[] } {
    const objects = new Map<string, Restored>();
    let revision = 0;
    const snap = join(this.dir, SNAPSHOT);
    if (existsSync(snap)) {
      const lines = readFileSync(snap, 'utf8').split('\n');
      const head = parseLine<{ revision: number }>(lines[0] ?? '');
      if (head) revision = head.revision;
      for (const line of lines.slice(1)) {
        const e = parseLine<LogLine>(line);
        const res = e && resourceOf(e.k);
        if (!e?.o || !res) continue;
        objects.set(objKey(res, e.o.metadata.namespace ?? '', e.o.metadata.name ?? ''), { res, obj: e.o });
      }
    }
    const log = join(this.dir, LOG);
    if (existsSync(log)) {
      const text = readFileSync(log, 'utf8');
      this.logBytes = Buffer.byteLength(text);
      for (const line of text.split('\n')) {
        const e = parseLine<LogLine>(line);
        // Lines at or below the snapshot's revision are already in it (a compaction that
        // crashed between the snapshot's rename and the log's reset leaves them behind).
        if (!e || e.r <= revision) continue;
        const res = resourceOf(e.k);
        if (!res) continue;
        if (e.o) objects.set(objKey(res, e.o.metadata.namespace ?? '', e.o.metadata.name ?? ''), { res, obj: e.o });
        else if (e.d) objects.delete(objKey(res, e.d[0], e.d[1]));
        revision = Math.max(revision, e.r);
      }
    }
    return { revision, objects: [...objects.values()] };
  }

  /** Record one change; written at the end of the current event-loop turn. */
  append(ev: StoreEvent): void {
    if (this.closed) return;
    const head = `{"r":${ev.rv},"k":${JSON.stringify(keyOf(ev.res))}`;
    // The object's JSON is cached (responses and watches serialise the same stored object).
    if (ev.type === 'DELETED') this.buffer.push(`${head},"d":${JSON.stringify([ev.obj.metadata.namespace ?? '', ev.obj.metadata.name ?? ''])}}\n`);
    else this.buffer.push(`${head},"o":${toJson(ev.obj)}}\n`);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush(this.state));
    }
  }

  /** Write buffered lines in one append; compact when the log has grown large. */
  flush(compact?: () => { revision: number; objects: Iterable<Restored> }): void {
    this.scheduled = false;
    if (this.closed) return;
    if (this.buffer.length) {
      const chunk = this.buffer.join('');
      this.buffer = [];
      this.fd ??= openSync(join(this.dir, LOG), 'a');
      writeSync(this.fd, chunk);
      this.logBytes += Buffer.byteLength(chunk);
    }
    if (compact && this.logBytes > COMPACT_BYTES) this.snapshot(compact());
  }

  get pendingCompaction(): boolean {
    return this.logBytes > COMPACT_BYTES;
  }

  /** Write a complete snapshot beside the old one, rename it into place, then start an empty log. */
  snapshot(state: { revision: number; objects: Iterable<Restored> }): void {
    if (this.closed) return;
    const tmp = join(this.dir, `${SNAPSHOT}.tmp`);
    const fd = openSync(tmp, 'w');
    try {
      writeSync(fd, `${JSON.stringify({ revision: state.revision })}\n`);
      let batch: string[] = [];
      for (const { res, obj } of state.objects) {
        batch.push(`${JSON.stringify({ r: 0, k: keyOf(res), o: obj })}\n`);
        if (batch.length >= 1000) {
          writeSync(fd, batch.join(''));
          batch = [];
        }
      }
      if (batch.length) writeSync(fd, batch.join(''));
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, join(this.dir, SNAPSHOT));
    if (this.fd !== undefined) closeSync(this.fd);
    const emptyLog = join(this.dir, `${LOG}.tmp`);
    closeSync(openSync(emptyLog, 'w'));
    renameSync(emptyLog, join(this.dir, LOG));
    this.fd = openSync(join(this.dir, LOG), 'a');
    this.logBytes = fstatSync(this.fd).size;
  }

  /** Release the log; later changes (controllers winding down) are not recorded. */
  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    this.closed = true;
    this.buffer = [];
  }

  /** Small settings kept beside the data (the port, so kubeconfigs stay valid). */
  readMeta(): Record<string, unknown> {
    const p = join(this.dir, 'cluster.json');
    return parseLine<Record<string, unknown>>(existsSync(p) ? readFileSync(p, 'utf8') : '') ?? {};
  }

  writeMeta(meta: Record<string, unknown>): void {
    const tmp = join(this.dir, 'cluster.json.tmp');
    const fd = openSync(tmp, 'w');
    writeSync(fd, `${JSON.stringify(meta)}\n`);
    closeSync(fd);
    renameSync(tmp, join(this.dir, 'cluster.json'));
  }
}

function parseLine<T>(line: string): T | undefined {
  if (!line.trim()) return undefined;
  try {
    return JSON.parse(line) as T;
  } catch {
    return undefined;
  }
}
