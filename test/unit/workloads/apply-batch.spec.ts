// A batch of reconciles records its applies with one statement: the flush waits until every
// reconcile still running has reached it (the others ended), and each learns its own outcome.
import { describe, expect, it } from '@jest/globals';
import { ApplyBatch } from '../../../src/modules/workloads/reconciler.service.js';

type Apply = Parameters<ApplyBatch['record']>[0];

function anApply(id: string): Apply {
  return { state: { id } as Apply['state'], entries: new Map(), lease: { clusterId: 'c', epoch: 1, holder: 'r', assertHeld: () => undefined, exit: () => undefined }, observe: true };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('ApplyBatch', () => {
  it('flushes once, when every reconcile still running waits to record, and answers each its own outcome', async () => {
    const flushes: string[][] = [];
    const batch = new ApplyBatch(3, async (applies) => {
      flushes.push(applies.map((a) => a.state.id));
      return applies.map((a) => (a.state.id === 'b' ? new Error('lease lost') : undefined));
    });
    const a = batch.record(anApply('a'));
    const b = batch.record(anApply('b'));
    await tick();
    expect(flushes).toEqual([]);
    // The third reconcile ends without recording (in sync, or failed): the others are recorded now.
    batch.leave();
    await expect(a).resolves.toBeUndefined();
    await expect(b).rejects.toThrow('lease lost');
    expect(flushes).toEqual([['a', 'b']]);
  });

  it('fails every waiting apply when the statement fails, and flushes again for those that record later', async () => {
    let calls = 0;
    const batch = new ApplyBatch(2, async (applies) => {
      calls += 1;
      if (calls === 1) throw new Error('database unavailable');
      return applies.map(() => undefined);
    });
    const a = batch.record(anApply('a'));
    const b = batch.record(anApply('b'));
    await expect(a).rejects.toThrow('database unavailable');
    await expect(b).rejects.toThrow('database unavailable');
    batch.leave();
    // One reconcile still runs (it left nothing): its later record is flushed on its own.
    await expect(batch.record(anApply('c'))).resolves.toBeUndefined();
    expect(calls).toBe(2);
  });
});
