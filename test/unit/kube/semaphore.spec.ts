// The per-cluster request cap: never more than `limit` at once, waiters served in arrival order,
// and a failing request frees its place like a succeeding one.
import { Semaphore } from '../../../src/modules/clusters/kube/semaphore.js';

function deferred(): { promise: Promise<void>; resolve: () => void; reject: (e: Error) => void } {
  let resolve!: () => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('Semaphore', () => {
  it('runs at most `limit` at once and starts waiters in the order they came', async () => {
    const semaphore = new Semaphore(2);
    const gates = Array.from({ length: 6 }, () => deferred());
    const started: number[] = [];
    let active = 0;
    let peak = 0;
    const runs = gates.map((gate, i) =>
      semaphore.run(async () => {
        started.push(i);
        active += 1;
        peak = Math.max(peak, active);
        try {
          await gate.promise;
        } finally {
          active -= 1;
        }
        return i;
      }),
    );
    const settledAll = Promise.allSettled(runs);
    await new Promise((r) => setImmediate(r));
    expect(started).toEqual([0, 1]);
    // The second finishes first: the next waiter (2) takes its place, then 3 takes the first's.
    gates[1]!.resolve();
    await new Promise((r) => setImmediate(r));
    gates[0]!.reject(new Error('refused'));
    await new Promise((r) => setImmediate(r));
    expect(started).toEqual([0, 1, 2, 3]);
    for (const gate of gates.slice(2)) gate.resolve();
    const settled = await settledAll;
    expect(settled.map((s) => s.status)).toEqual(['rejected', 'fulfilled', 'fulfilled', 'fulfilled', 'fulfilled', 'fulfilled']);
    expect(started).toEqual([0, 1, 2, 3, 4, 5]);
    expect(peak).toBe(2);
  });
});
