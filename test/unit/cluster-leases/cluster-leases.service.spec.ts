// The lease loop against an in-memory stand-in for the two tables (the SQL itself runs against
// PostgreSQL in test/integration/cluster-sharing.spec.ts): who owns what, hand-over only after the
// work running on a cluster has finished, a lost lease stopping work at once, a clean leave.
import { describe, expect, it } from '@jest/globals';
import { loadConfig } from '../../../src/config/config.js';
import type { ShutdownDrainers } from '../../../src/lifecycle/drainers.js';
import { assignClusters } from '../../../src/modules/cluster-leases/assignment.js';
import type { ClusterLeasesRepository, HeldLease, MembershipView } from '../../../src/modules/cluster-leases/cluster-leases.repository.js';
import { ClusterLeasesService } from '../../../src/modules/cluster-leases/cluster-leases.service.js';
import { NotClusterOwner } from '../../../src/modules/workloads/cluster-fence.port.js';

/** Both tables, with a clock of their own (the database's now()). */
class FakeDatabase {
  now = 0;
  clusters: string[] = [];
  readonly beats = new Map<string, number>();
  readonly leases = new Map<string, { holder: string | null; epoch: number; expiresAt: number }>();
}

class FakeLeasesRepository implements Pick<ClusterLeasesRepository, 'open' | 'close' | 'heartbeat' | 'renew' | 'acquire' | 'release' | 'leave' | 'sweep'> {
  constructor(private readonly db: FakeDatabase) {}
  open(): void {}
  async close(): Promise<void> {}
  async heartbeat(replica: string, _host: string, ttlMs: number): Promise<MembershipView> {
    this.db.beats.set(replica, this.db.now);
    const replicas = [...this.db.beats].filter(([, at]) => at > this.db.now - ttlMs).map(([id]) => id);
    return { replicas, clusters: [...this.db.clusters] };
  }
  async renew(replica: string, leases: readonly HeldLease[], ttlMs: number): Promise<Set<string>> {
    const renewed = new Set<string>();
    for (const { clusterId, epoch } of leases) {
      const row = this.db.leases.get(clusterId);
      if (row && row.holder === replica && row.epoch === epoch) {
        row.expiresAt = this.db.now + ttlMs;
        renewed.add(clusterId);
      }
    }
    return renewed;
  }
  async acquire(replica: string, clusterIds: readonly string[], ttlMs: number): Promise<HeldLease[]> {
    const taken: HeldLease[] = [];
    for (const clusterId of clusterIds) {
      const row = this.db.leases.get(clusterId) ?? { holder: null, epoch: 0, expiresAt: 0 };
      if (row.holder !== null && row.expiresAt > this.db.now) continue;
      this.db.leases.set(clusterId, { holder: replica, epoch: row.epoch + 1, expiresAt: this.db.now + ttlMs });
      taken.push({ clusterId, epoch: row.epoch + 1 });
    }
    return taken;
  }
  async release(replica: string, leases: readonly HeldLease[]): Promise<void> {
    for (const { clusterId, epoch } of leases) {
      const row = this.db.leases.get(clusterId);
      if (row && row.holder === replica && row.epoch === epoch) Object.assign(row, { holder: null, expiresAt: this.db.now });
    }
  }
  async leave(replica: string): Promise<void> {
    this.db.beats.delete(replica);
  }
  async sweep(): Promise<void> {}
}

// A heartbeat far longer than any test: the loop advances only when a test calls refresh().
const config = loadConfig({ BERTH_REPLICA_HEARTBEAT_MS: '60000', BERTH_CLUSTER_LEASE_TTL_MS: '180000' });
const TTL = config.clusterLeaseTtlMs;
const drainers = { register: () => () => undefined } as unknown as ShutdownDrainers;

async function replica(db: FakeDatabase): Promise<ClusterLeasesService> {
  const service = new ClusterLeasesService(new FakeLeasesRepository(db) as unknown as ClusterLeasesRepository, config, drainers);
  await service.onApplicationBootstrap();
  return service;
}

const holders = (db: FakeDatabase) => new Map([...db.leases].filter(([, l]) => l.holder && l.expiresAt > db.now).map(([id, l]) => [id, l.holder!]));

describe('cluster leases', () => {
  it('a single replica owns every cluster and forbids no job', async () => {
    const db = new FakeDatabase();
    db.clusters = ['c1', 'c2', 'c3'];
    const only = await replica(db);
    expect([...only.owned()].sort()).toEqual(['c1', 'c2', 'c3']);
    expect(only.forbiddenFlags()).toEqual([]);
    await only.stop();
  });

  it('takes a cluster registered after the last heartbeat when work for it arrives', async () => {
    const db = new FakeDatabase();
    const only = await replica(db);
    db.clusters = ['late'];
    const lease = await only.enter('late');
    expect(lease.epoch).toBe(1);
    lease.exit();
    await only.stop();
  });

  it('two replicas split the clusters as the assignment says; each forbids the jobs of the other’s clusters', async () => {
    const db = new FakeDatabase();
    db.clusters = Array.from({ length: 8 }, (_, i) => `c${i}`);
    const a = await replica(db);
    const b = await replica(db);
    await a.refresh(); // sees b: hands over b's share
    await b.refresh(); // takes it
    const expected = assignClusters(db.clusters, [a.replica, b.replica]);
    expect(holders(db)).toEqual(expected);
    expect([...a.owned()].sort()).toEqual(db.clusters.filter((c) => expected.get(c) === a.replica));
    expect([...a.forbiddenFlags()].sort()).toEqual(db.clusters.filter((c) => expected.get(c) === b.replica).map((c) => `cluster:${c}`));
    await a.stop();
    await b.stop();
  });

  it('hands a cluster over only after the work running on it has finished; no new work starts meanwhile', async () => {
    const db = new FakeDatabase();
    db.clusters = Array.from({ length: 8 }, (_, i) => `c${i}`);
    const a = await replica(db);
    const leases = await Promise.all(db.clusters.map((c) => a.enter(c)));
    const changes: Array<ReadonlySet<string>> = [];
    a.onChange((owned) => changes.push(owned));
    const b = await replica(db);
    await a.refresh();
    const moving = db.clusters.filter((c) => !a.owned().has(c));
    expect(moving.length).toBeGreaterThan(0);
    expect(changes).toHaveLength(1); // watches stop, jobs go elsewhere…
    for (const c of moving) {
      expect(a.forbiddenFlags()).toContain(`cluster:${c}`);
      await expect(a.enter(c)).rejects.toBeInstanceOf(NotClusterOwner);
      expect(holders(db).get(c)).toBe(a.replica); // …but the lease stays while work runs
    }
    await b.refresh();
    for (const c of moving) expect(holders(db).get(c)).toBe(a.replica);
    // The running work may still write and record: it holds the lease.
    const first = leases.find((l) => l.clusterId === moving[0])!;
    expect(() => first.assertHeld()).not.toThrow();
    expect(db.leases.get(first.clusterId)).toMatchObject({ holder: a.replica, epoch: first.epoch });
    for (const lease of leases) lease.exit();
    await a.refresh();
    await b.refresh();
    for (const c of moving) {
      expect(holders(db).get(c)).toBe(b.replica);
      expect(db.leases.get(c)!.epoch).toBe(2);
    }
    expect(() => first.assertHeld()).toThrow(NotClusterOwner);
    await a.stop();
    await b.stop();
  });

  it('a replica whose lease ran out and was taken stops writing and recording at once', async () => {
    const db = new FakeDatabase();
    db.clusters = ['c1'];
    const a = await replica(db);
    const lease = await a.enter('c1');
    // a goes silent (paused): its heartbeat and lease run out, b arrives and takes the cluster.
    db.now += TTL + 1;
    const b = await replica(db);
    expect(holders(db).get('c1')).toBe(b.replica);
    // The database says no: what records the work checks this row (workloads-repository.spec.ts).
    expect(db.leases.get('c1')).toMatchObject({ holder: b.replica, epoch: lease.epoch + 1 });
    await a.refresh(); // a wakes up: its renewal fails
    expect(() => lease.assertHeld()).toThrow(NotClusterOwner);
    expect(a.owned().size).toBe(0);
    lease.exit();
    await a.stop();
    await b.stop();
  });

  it('leaving releases every lease and the membership, so the others take over at their next heartbeat', async () => {
    const db = new FakeDatabase();
    db.clusters = ['c1', 'c2', 'c3', 'c4'];
    const a = await replica(db);
    const b = await replica(db);
    await a.refresh();
    await b.refresh();
    await a.stop();
    expect(db.beats.has(a.replica)).toBe(false);
    expect(a.owned().size).toBe(0);
    await b.refresh();
    expect([...holders(db).values()]).toEqual([b.replica, b.replica, b.replica, b.replica]);
    await b.stop();
  });

  it('a replica whose job workers stopped gives its clusters away', async () => {
    const db = new FakeDatabase();
    db.clusters = ['c1', 'c2'];
    const a = await replica(db);
    const b = await replica(db);
    await a.refresh();
    await b.refresh();
    a.workersStopped();
    await eventuallyTrue(() => !db.beats.has(a.replica));
    await b.refresh();
    expect([...holders(db).values()]).toEqual([b.replica, b.replica]);
    await b.stop();
  });
});

async function eventuallyTrue(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(check()).toBe(true);
}
