import { randomBytes } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { Registry } from './registry.js';
import { R } from './resources.js';
import { nowIso, type KubeObject } from './types.js';

export type EventKind = 'Normal' | 'Warning';

/** Random bytes drawn from a pool (one call to the CSPRNG per 512 event names, not one each). */
let pool = Buffer.alloc(0);
let poolAt = 0;
function randomHex16(): string {
  if (poolAt + 8 > pool.length) {
    pool = randomBytes(4096);
    poolAt = 0;
  }
  poolAt += 8;
  return pool.toString('hex', poolAt - 8, poolAt);
}

/** Records core/v1 Events like controllers and kubelets do; repeats bump `count`. */
export class EventRecorder {
  /**
   * Recent events by what they say, to count repeats: bounded like client-go's event cache (an LRU).
   * A Map trimmed from its front cost ~17 µs per new event once full: V8 keeps deleted entries as
   * holes until it rehashes, and `keys().next()` walks over all of them (docs/performance.md).
   */
  private readonly seen = new LRUCache<string, string>({ max: 20000 });

  constructor(private readonly reg: Registry) {}

  record(involved: KubeObject, type: EventKind, reason: string, message: string, component: string): void {
    const ns = involved.metadata.namespace ?? 'default';
    const nsObj = this.reg.find(R.namespaces, '', ns);
    if (!nsObj || nsObj.metadata.deletionTimestamp) return;
    const key = `${ns}/${involved.metadata.uid ?? involved.metadata.name}/${reason}/${message}`;
    const now = nowIso();
    const existingName = this.seen.get(key);
    const existing = existingName ? this.reg.find(R.events, ns, existingName) : undefined;
    if (existing) {
      this.reg.store.write(R.events, { ...existing, count: Number(existing['count'] ?? 1) + 1, lastTimestamp: now, metadata: { ...existing.metadata } });
      return;
    }
    const name = `${involved.metadata.name ?? 'object'}.${randomHex16()}`;
    this.seen.set(key, name);
    try {
      this.reg.create(
        R.events,
        ns,
        {
          metadata: { name, namespace: ns },
          involvedObject: {
            kind: involved.kind,
            namespace: involved.metadata.namespace,
            name: involved.metadata.name,
            uid: involved.metadata.uid,
            apiVersion: involved.apiVersion,
            resourceVersion: involved.metadata.resourceVersion,
          },
          reason,
          message,
          source: { component },
          firstTimestamp: now,
          lastTimestamp: now,
          count: 1,
          type,
          eventTime: null,
          reportingComponent: component,
          reportingInstance: '',
        },
        { fieldManager: component },
      );
    } catch {
      // Events are best effort, exactly like on a real cluster.
    }
  }
}
