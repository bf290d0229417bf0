// Work held under several keys at once (a batch of environments reconciled together) waits for, and
// holds off, anything queued under any of its keys, in the order asked, and never deadlocks with
// work holding an overlapping set.
import { describe, expect, it } from '@jest/globals';
import { SerialKeys } from '../../../src/modules/work-queue/serial-keys.js';

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('SerialKeys.runAll', () => {
  it('waits for work already holding one of its keys, and holds off work asked after it', async () => {
    const serial = new SerialKeys();
    const log: string[] = [];
    const first = deferred();
    const a = serial.run('k2', async () => {
      log.push('single k2 start');
      await first.promise;
      log.push('single k2 end');
    });
    const batch = serial.runAll(['k1', 'k2', 'k3'], async () => {
      log.push('batch');
    });
    const later = serial.run('k3', async () => {
      log.push('single k3');
    });
    const unrelated = serial.run('k4', async () => {
      log.push('single k4');
    });
    await tick();
    expect(log).toEqual(['single k2 start', 'single k4']);
    first.resolve();
    await Promise.all([a, batch, later, unrelated]);
    expect(log).toEqual(['single k2 start', 'single k4', 'single k2 end', 'batch', 'single k3']);
    expect(serial.size).toBe(0);
  });

  it('orders two batches sharing keys the same way on every key (no deadlock), whatever order each lists them in', async () => {
    const serial = new SerialKeys();
    const log: string[] = [];
    const one = serial.runAll(['a', 'b', 'c'], async () => {
      log.push('one start');
      await tick();
      log.push('one end');
    });
    const two = serial.runAll(['c', 'b', 'x'], async () => {
      log.push('two');
    });
    await Promise.all([one, two]);
    expect(log).toEqual(['one start', 'one end', 'two']);
    expect(serial.size).toBe(0);
  });

  it('releases its keys when the work fails, and counts a repeated key once', async () => {
    const serial = new SerialKeys();
    await expect(serial.runAll(['a', 'a'], async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(serial.size).toBe(0);
    await expect(serial.run('a', async () => 'ran')).resolves.toBe('ran');
  });
});
