/**
 * The simulated wall clock the CronJob controller schedules by. It follows real time until a
 * test freezes it; `advance(ms)` moves it forward (frozen or not) and wakes whoever listens, so a
 * test can step through schedules without waiting: `cluster.clock.freeze(); cluster.clock.advance(60_000)`.
 */
export class SimClock {
  private offset = 0;
  private frozenAt: number | undefined;
  private readonly listeners = new Set<() => void>();

  now(): number {
    return this.frozenAt ?? Date.now() + this.offset;
  }

  get frozen(): boolean {
    return this.frozenAt !== undefined;
  }

  /** Stop the clock (at `at`, default the current simulated time). */
  freeze(at = this.now()): this {
    this.frozenAt = at;
    this.notify();
    return this;
  }

  /** Let the clock run again from where it stands. */
  resume(): this {
    if (this.frozenAt !== undefined) {
      this.offset = this.frozenAt - Date.now();
      this.frozenAt = undefined;
      this.notify();
    }
    return this;
  }

  advance(ms: number): this {
    if (this.frozenAt !== undefined) this.frozenAt += ms;
    else this.offset += ms;
    this.notify();
    return this;
  }

  onChange(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private notify(): void {
    for (const fn of this.listeners) fn();
  }
}
