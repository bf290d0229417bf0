// Jobs with the same key run one after the other within a replica. graphile-worker lets a job that
// replaced a running one (same job key) start at once, so two reconciles of one environment could
// overlap and both apply the same change. A cluster's jobs all run on the replica that owns it
// (job-routing.port.ts), so serialising them here serialises them everywhere.
export class SerialKeys {
  private readonly tails = new Map<string, Promise<void>>();

  async run<T>(key: string | undefined, work: () => Promise<T>): Promise<T> {
    if (!key) return work();
    // Every job passes here: one key without runAll's arrays.
    const previous = this.tails.get(key) ?? Promise.resolve();
    let done!: () => void;
    const finished = new Promise<void>((resolve) => (done = resolve));
    const tail = previous.then(() => finished);
    this.tails.set(key, tail);
    try {
      await previous;
      return await work();
    } finally {
      done();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }

  /**
   * Runs `work` once nothing queued earlier under any of `keys` runs, holding them all meanwhile
   * (work done for many keys at once, e.g. a batch of environments reconciled together). Every
   * key's place is taken in the same synchronous step, so two callers sharing keys are ordered the
   * same way on each: no deadlock.
   */
  async runAll<T>(keys: readonly string[], work: () => Promise<T>): Promise<T> {
    const unique = [...new Set(keys)];
    const previous = unique.map((key) => this.tails.get(key) ?? Promise.resolve());
    let done!: () => void;
    const finished = new Promise<void>((resolve) => (done = resolve));
    const tails = previous.map((before) => before.then(() => finished));
    unique.forEach((key, i) => this.tails.set(key, tails[i]!));
    try {
      await Promise.all(previous);
      return await work();
    } finally {
      done();
      unique.forEach((key, i) => {
        if (this.tails.get(key) === tails[i]) this.tails.delete(key);
      });
    }
  }

  /** Keys with work running or waiting (for tests). */
  get size(): number {
    return this.tails.size;
  }
}
