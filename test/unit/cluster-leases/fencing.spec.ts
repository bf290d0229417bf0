// Writes to a cluster are fenced by its lease; jobs with one key never overlap within a replica.
import { describe, expect, it } from '@jest/globals';
import type { KubeGateway, KubeObject } from '../../../src/modules/clusters/kube/kube-gateway.js';
import { SerialKeys } from '../../../src/modules/work-queue/serial-keys.js';
import { RetryLater, retryOf } from '../../../src/modules/work-queue/work-queue.service.js';
import { NotClusterOwner } from '../../../src/modules/workloads/cluster-fence.port.js';
import { fencedGateway } from '../../../src/modules/workloads/fenced-gateway.js';

const object: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'n' } };

describe('fenced gateway', () => {
  it('sends writes only while the lease holds; reads always pass', async () => {
    const sent: string[] = [];
    const gateway = {
      clusterName: 'east',
      apply: async (o: KubeObject) => (sent.push(`apply ${o.metadata.name}`), o),
      delete: async (o: KubeObject) => void sent.push(`delete ${o.metadata.name}`),
      get: async (o: KubeObject) => (sent.push(`get ${o.metadata.name}`), o),
    } as unknown as KubeGateway;
    let held = true;
    const fenced = fencedGateway(gateway, {
      assertHeld: () => {
        if (!held) throw new NotClusterOwner('east', 'lost', 0);
      },
    });
    await fenced.apply(object);
    await fenced.delete(object);
    held = false;
    await expect(fenced.apply(object)).rejects.toBeInstanceOf(NotClusterOwner);
    await expect(fenced.delete(object)).rejects.toBeInstanceOf(NotClusterOwner);
    await fenced.get(object);
    expect(fenced.clusterName).toBe('east');
    expect(sent).toEqual(['apply x', 'delete x', 'get x']);
  });
});

describe('serial keys', () => {
  it('runs work with one key one after the other, other keys alongside, and forgets idle keys', async () => {
    const serial = new SerialKeys();
    const events: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const first = serial.run('reconcile:e1', async () => {
      events.push('first starts');
      await gate;
      events.push('first ends');
    });
    const second = serial.run('reconcile:e1', async () => void events.push('second runs'));
    const other = serial.run('reconcile:e2', async () => void events.push('other runs'));
    await other;
    expect(events).toEqual(['first starts', 'other runs']);
    release();
    await Promise.all([first, second]);
    expect(events).toEqual(['first starts', 'other runs', 'first ends', 'second runs']);
    expect(serial.size).toBe(0);
    await expect(serial.run('k', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await serial.run('k', async () => 'after a failure')).toBe('after a failure');
  });
});

describe('a job handed to its cluster\'s owner', () => {
  it('keeps its attempt number (a hand-off is no failure) and comes back when the hand-off says', () => {
    const payload = { environmentId: 'e1', jobKey: 'reconcile:e1', attempt: 3 };
    expect(retryOf(payload, 3, new NotClusterOwner('east', 'this replica does not own the cluster', 0))).toEqual({ payload, delayMs: 0 });
    expect(retryOf(payload, 3, new NotClusterOwner('east', 'unknown cluster', 500))).toEqual({ payload, delayMs: 500 });
  });

  it('counts a real failure and backs off by the attempts counted so far', () => {
    const payload = { environmentId: 'e1', attempt: 3 };
    expect(retryOf(payload, 3, new RetryLater('cluster unreachable'), () => 0.5)).toEqual({ payload: { ...payload, attempt: 4 }, delayMs: 2000 });
    expect(retryOf(payload, 3, new RetryLater('429', 1500), () => 0.5)).toEqual({ payload: { ...payload, attempt: 4 }, delayMs: 1500 });
  });
});
