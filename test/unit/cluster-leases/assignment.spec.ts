// Consistent hashing with bounded loads: every cluster gets exactly one live owner, no owner exceeds
// the bound, every replica computes the same answer, and a replica joining or leaving moves about
// its fair share of clusters (not almost all of them, as `hash mod replicas` would).
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { assignClusters, capacity } from '../../../src/modules/cluster-leases/assignment.js';

const ids = (prefix: string, min: number, max: number) => fc.uniqueArray(fc.uuid().map((u) => `${prefix}${u}`), { minLength: min, maxLength: max });

function loads(owners: Map<string, string>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const replica of owners.values()) counts.set(replica, (counts.get(replica) ?? 0) + 1);
  return counts;
}

function moved(before: Map<string, string>, after: Map<string, string>): number {
  let count = 0;
  for (const [cluster, owner] of before) if (after.get(cluster) !== owner) count++;
  return count;
}

describe('cluster assignment (consistent hashing with bounded loads)', () => {
  it('gives every cluster exactly one owner among the replicas, none above ceil(1.25 × clusters / replicas)', () => {
    fc.assert(
      fc.property(ids('c-', 0, 120), ids('r-', 1, 9), (clusters, replicas) => {
        const owners = assignClusters(clusters, replicas);
        expect([...owners.keys()].sort()).toEqual([...clusters].sort());
        for (const owner of owners.values()) expect(replicas).toContain(owner);
        const bound = capacity(clusters.length, replicas.length);
        for (const count of loads(owners).values()) expect(count).toBeLessThanOrEqual(bound);
      }),
    );
  });

  it('is the same on every replica: the order of the lists does not matter', () => {
    fc.assert(
      fc.property(ids('c-', 1, 60), ids('r-', 1, 6), fc.integer(), (clusters, replicas, seed) => {
        const shuffle = <T>(list: T[]) => {
          const out = [...list];
          let state = seed >>> 0;
          for (let i = out.length - 1; i > 0; i--) {
            state = (state * 1103515245 + 12345) >>> 0;
            const j = state % (i + 1);
            [out[i], out[j]] = [out[j]!, out[i]!];
          }
          return out;
        };
        expect(assignClusters(shuffle(clusters), shuffle(replicas))).toEqual(assignClusters(clusters, replicas));
        expect(assignClusters([...clusters].reverse(), [...replicas].reverse())).toEqual(assignClusters(clusters, replicas));
      }),
    );
  });

  it('moves at most a few fair shares when a replica joins (clusters ≥ 10 per replica)', () => {
    fc.assert(
      fc.property(ids('r-', 1, 8), fc.uuid(), fc.integer({ min: 0, max: 150 }), (replicas, joiner, extra) => {
        const clusters = Array.from({ length: 10 * replicas.length + extra }, (_, i) => `cluster-${i}-${joiner}`);
        const before = assignClusters(clusters, replicas);
        const after = assignClusters(clusters, [...replicas, `j-${joiner}`]);
        const fairShare = Math.ceil(clusters.length / (replicas.length + 1));
        expect(moved(before, after)).toBeLessThanOrEqual(3 * fairShare);
        // The newcomer gets work at once.
        expect(loads(after).get(`j-${joiner}`) ?? 0).toBeGreaterThan(0);
      }),
    );
  });

  it('moves at most a few fair shares when a replica leaves, starting with its own clusters', () => {
    fc.assert(
      fc.property(ids('r-', 2, 9), fc.integer({ min: 0, max: 150 }), fc.nat(), (replicas, extra, pick) => {
        const clusters = Array.from({ length: 10 * replicas.length + extra }, (_, i) => `cluster-${i}-${replicas[0]}`);
        const leaving = replicas[pick % replicas.length]!;
        const survivors = replicas.filter((r) => r !== leaving);
        const before = assignClusters(clusters, replicas);
        const after = assignClusters(clusters, survivors);
        for (const [cluster, owner] of before) if (owner === leaving) expect(survivors).toContain(after.get(cluster));
        expect(moved(before, after)).toBeLessThanOrEqual(3 * Math.ceil(clusters.length / replicas.length));
      }),
    );
  });

  it('moves about one fair share on average (a fixed sample, so the number is reproducible)', () => {
    let ratio = 0;
    let samples = 0;
    for (let n = 2; n <= 8; n++) {
      for (const m of [50, 200, 500]) {
        const replicas = Array.from({ length: n }, (_, i) => `replica-${n}-${i}`);
        const clusters = Array.from({ length: m }, (_, i) => `cluster-${m}-${i}`);
        const before = assignClusters(clusters, replicas);
        ratio += moved(before, assignClusters(clusters, [...replicas, `replica-${n}-new`])) / (m / (n + 1));
        samples++;
      }
    }
    // Modulo hashing would move n/(n+1) of everything: 3 to 8 fair shares here.
    expect(ratio / samples).toBeLessThan(1.2);
  });

  it('keeps one replica owning everything, and nobody owning anything without replicas', () => {
    expect([...assignClusters(['a', 'b', 'c'], ['only']).values()]).toEqual(['only', 'only', 'only']);
    expect(assignClusters(['a'], []).size).toBe(0);
    expect(capacity(0, 3)).toBe(1);
  });
});
