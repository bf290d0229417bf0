import { withoutWarnings } from '../warnings.js';

/** A reconcile loop with a de-duplicating work queue, like client-go's workqueue. */
export abstract class Controller {
  private readonly queue = new Set<string>();
  private scheduled = false;
  private stopped = false;
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly failures = new Map<string, number>();

  protected abstract reconcile(key: string): void;

  enqueue(key: string): void {
    if (this.stopped) return;
    this.queue.add(key);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.drain());
    }
  }

  /** Reconcile `key` again after `ms` (an earlier pending timer for it is kept if sooner). */
  enqueueAfter(key: string, ms: number): void {
    if (this.stopped) return;
    if (ms <= 0) {
      this.enqueue(key);
      return;
    }
    if (this.timers.has(key)) return;
    const t = setTimeout(() => {
      this.timers.delete(key);
      this.enqueue(key);
    }, ms);
    t.unref();
    this.timers.set(key, t);
  }

  private drain(): void {
    withoutWarnings(() => this.drainQueue());
  }

  private drainQueue(): void {
    this.scheduled = false;
    const keys = [...this.queue];
    this.queue.clear();
    for (const key of keys) {
      try {
        this.reconcile(key);
        this.failures.delete(key);
      } catch {
        const n = (this.failures.get(key) ?? 0) + 1;
        this.failures.set(key, n);
        this.enqueueAfter(key, Math.min(5000, 10 * 2 ** n));
      }
    }
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    this.queue.clear();
  }
}

export function splitKey(key: string): [string, string] {
  const i = key.indexOf('/');
  return [key.slice(0, i), key.slice(i + 1)];
}
