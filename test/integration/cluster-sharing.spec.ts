// Several replicas share the clusters rather than duplicate them (issue #15, item 5). Three Berth
// processes on one database and nine sandbox clusters: every cluster is owned by exactly one live
// replica, as the bounded-load assignment says; a replica killed with SIGKILL loses its clusters to
// the survivors within seconds, a deploy it had started completes, and a change made while its
// cluster had a dead owner is applied exactly once (writes counted at the sandbox's HTTP
// boundary); a replica that joins takes its share, and changes made while the clusters move are
// each applied exactly once, none lost. The changes are restarts: they touch only the environment's
// Deployments (a formation change would also move its team's quota usage, which other writes follow).
// The first deploys are requested while the replicas start, so their jobs wait for owners that do
// not exist yet. (This spec's rare hang, a first deploy pending for ever, came from a release's
// request lost to a worker claiming the environment's first job at the same instant; that race is
// reproduced deterministically in work-queue-keys.spec.ts.)
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { SandboxCluster } from '@berth/sandbox';
import { assignClusters, capacity } from '../../src/modules/cluster-leases/assignment.js';
import { WorkQueueService } from '../../src/modules/work-queue/work-queue.service.js';
import { sql } from '../support/database.js';
import { newApp, newTeam } from '../support/factories.js';
import { expectStatus, type HttpClient } from '../support/http.js';
import { freePort } from '../support/postgres-server.mjs';
import { eventually, kubectl, newSandbox, registerCluster } from '../support/sandbox.js';
import { createTestApp, TEST_ENCRYPTION_KEY, type TestApp } from '../support/test-app.js';

const CLUSTERS = 9;
const TTL_MS = 9000;
const REPLICA_ENV = {
  BERTH_REPLICA_HEARTBEAT_MS: '500',
  BERTH_CLUSTER_LEASE_TTL_MS: String(TTL_MS),
  BERTH_WORKER_RECLAIM_INTERVAL_MS: '1000',
  BERTH_WORKER_CONCURRENCY: '4',
  BERTH_RESYNC_INTERVAL_MS: '3600000',
  BERTH_CLUSTER_PROBE_INTERVAL_MS: '3600000',
};

interface Replica {
  child: ChildProcess;
  port: number;
  stderr: () => string;
}

interface Placed {
  sandbox: SandboxCluster;
  path: string;
  owner: HttpClient;
  namespace: string;
}

interface Ownership {
  /** cluster id → replica id, for unexpired leases. */
  holders: Map<string, string>;
  /** live replica id → pid of its process. */
  live: Map<string, number>;
}

describe('several replicas share the clusters', () => {
  let api: TestApp;
  const sandboxes: SandboxCluster[] = [];
  /**
   * Cluster id → its sandbox and the environment placed on it. One team each: a team's namespace
   * quotas follow its usage, so a change in one of its environments would rightly rewrite the
   * quota of its others, and those writes are not what is counted here.
   */
  const byCluster = new Map<string, Placed>();
  /** Where the writes of one change are counted when nothing moves. */
  let base: Placed;
  let clusterIds: string[] = [];
  const replicas: Replica[] = [];

  async function spawnReplica(env: Record<string, string> = {}): Promise<Replica> {
    const port = await freePort();
    const child = spawn(process.execPath, ['dist/src/main.js'], {
      env: { ...process.env, ...REPLICA_ENV, ...env, PORT: String(port), DATABASE_URL: api.databaseUrl, HOST: '127.0.0.1', BERTH_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY, BERTH_BOOTSTRAP_TOKEN: api.adminToken, BERTH_SANDBOX_WHEN_EMPTY: 'false', LOG_LEVEL: process.env.DEBUG_REPLICAS ? 'debug' : 'silent', LOG_FORMAT: 'json' },
      stdio: ['ignore', process.env.DEBUG_REPLICAS ? 'pipe' : 'ignore', 'pipe'],
    });
    if (process.env.DEBUG_REPLICAS) child.stdout?.pipe((await import('node:fs')).createWriteStream(`${process.env.DEBUG_REPLICAS}/replica-${child.pid}.log`));
    let errors = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      errors = (errors + chunk.toString()).slice(-4000);
    });
    const replica = { child, port, stderr: () => errors };
    replicas.push(replica);
    return replica;
  }

  async function waitReady(replica: Replica): Promise<Replica> {
    await eventually(
      async () => {
        if (replica.child.exitCode !== null) throw new Error(`a replica exited with ${replica.child.exitCode}: ${replica.stderr()}`);
        return (await fetch(`http://127.0.0.1:${replica.port}/readyz`).catch(() => undefined))?.ok ? true : undefined;
      },
      'a replica to be ready',
      900,
      100,
    );
    return replica;
  }

  async function ownership(): Promise<Ownership> {
    const leases = await sql<{ cluster_id: string; holder: string }>(api.databaseUrl, 'SELECT cluster_id::text, holder FROM cluster_leases WHERE holder IS NOT NULL AND expires_at > now()');
    const live = await sql<{ id: string; host: string }>(api.databaseUrl, `SELECT id, host FROM berth_replicas WHERE heartbeat_at > now() - make_interval(secs => ${TTL_MS / 1000})`);
    return { holders: new Map(leases.map((l) => [l.cluster_id, l.holder])), live: new Map(live.map((r) => [r.id, Number(r.host.split('/').pop())])) };
  }

  /** Every cluster held by a live replica, exactly as the assignment of the live replicas says. */
  async function settled(expectedReplicas: number): Promise<Ownership | undefined> {
    const now = await ownership();
    if (now.live.size !== expectedReplicas) return undefined;
    const desired = assignClusters(clusterIds, [...now.live.keys()]);
    for (const id of clusterIds) if (now.holders.get(id) !== desired.get(id)) return undefined;
    return now;
  }

  function loads(holders: Map<string, string>): Map<string, number> {
    const counts = new Map<string, number>();
    for (const replica of holders.values()) counts.set(replica, (counts.get(replica) ?? 0) + 1);
    return counts;
  }

  /** An environment of its own team on a cluster, with v1 released. */
  async function newEnvironmentOn(cluster: string, sandbox: SandboxCluster, name: string): Promise<Placed> {
    const parent = await newApp(api, { team: await newTeam(api) });
    const owner = parent.team.owner.client;
    expectStatus(await owner.post(`/v1/apps/${parent.name}/environments`, { name, cluster, progress_deadline_seconds: 3600 }), 201);
    const path = `/v1/apps/${parent.name}/environments/${name}`;
    expectStatus(await owner.post(`${path}/releases`, { image: 'example.com/app:1' }), 201);
    return { sandbox, path, owner, namespace: `${parent.name}-${name}` };
  }

  async function restartedAt(env: Placed): Promise<string | undefined> {
    const deployment = JSON.parse(await kubectl(env.sandbox, ['get', 'deployment', 'web', '-n', env.namespace, '-o', 'json'])) as { spec: { template: { metadata: { annotations?: Record<string, string> } } } };
    return deployment.spec.template.metadata.annotations?.['berth.dev/restarted-at'];
  }

  async function applied(env: Placed): Promise<void> {
    await eventually(async () => {
      const sync = (await api.admin.get<{ sync: { desired_generation: number; applied_generation: number } }>(env.path)).body.sync;
      return sync.applied_generation >= sync.desired_generation ? true : undefined;
    }, `${env.path} to be applied`, 600, 100);
  }

  async function releasePhase(path: string, n: number): Promise<string | undefined> {
    return (await api.admin.get<{ status?: { phase: string } }>(`${path}/releases/${n}`)).body.status?.phase;
  }

  async function deployed(path: string, n: number): Promise<void> {
    await eventually(async () => ((await releasePhase(path, n)) === 'succeeded' ? true : undefined), `${path} v${n} to succeed`, 600, 100).catch(async (error: unknown) => {
      const release = (await api.admin.get(`${path}/releases/${n}`)).body;
      const jobs = await sql(api.databaseUrl, 'SELECT t.identifier, j.key, j.payload, j.flags, j.locked_by, j.locked_at, j.run_at, j.attempts, j.last_error FROM graphile_worker._private_jobs j JOIN graphile_worker._private_tasks t ON t.id = j.task_id');
      const leases = await sql(api.databaseUrl, 'SELECT l.*, now() AS now FROM cluster_leases l');
      const members = await sql(api.databaseUrl, 'SELECT *, now() AS now FROM berth_replicas');
      throw new Error(`${String(error)}\nrelease: ${JSON.stringify(release)}\njobs: ${JSON.stringify(jobs)}\nleases: ${JSON.stringify(leases)}\nreplicas: ${JSON.stringify(members)}`);
    });
  }

  beforeAll(async () => {
    api = await createTestApp({ env: { BERTH_WORKERS_ENABLED: 'false' } });
    // The queue's schema before anything enqueues: the environments are created while the replicas
    // start, so their first jobs wait for owners that do not exist yet.
    await WorkQueueService.migrate(api.databaseUrl);
    sandboxes.push(...(await Promise.all(Array.from({ length: CLUSTERS }, (_, i) => newSandbox(`share-${i}`)))));
    const registered = await Promise.all(sandboxes.map((sandbox) => registerCluster(api, sandbox)));
    clusterIds = registered.map((c) => c.id);
    const starting = Promise.all([0, 1, 2].map(async () => waitReady(await spawnReplica())));
    const placed = await Promise.all(registered.map((cluster, i) => newEnvironmentOn(cluster.name, sandboxes[i]!, 'live')));
    placed.forEach((env, i) => byCluster.set(registered[i]!.id, env));
    base = await newEnvironmentOn(registered[0]!.name, sandboxes[0]!, 'base');
    await starting;
    await Promise.all([...byCluster.values(), base].map(({ path }) => deployed(path, 1)));
  }, 240_000);

  afterAll(async () => {
    for (const { child } of replicas) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await new Promise((resolve) => child.once('exit', resolve));
      }
    }
    await api?.close();
    for (const sandbox of sandboxes) await sandbox.stop();
  }, 60_000);

  it('owns every cluster by exactly one live replica, as the bounded-load assignment says', async () => {
    const now = await eventually(() => settled(3), 'three replicas to divide the clusters', 300, 100);
    expect([...now.holders.keys()].sort()).toEqual([...clusterIds].sort());
    // Nine clusters, three replicas: at most ceil(1.25 × 3) = 4 each, so at least 9 − 2 × 4 = 1 each.
    const counts = loads(now.holders);
    expect(counts.size).toBe(3);
    for (const count of counts.values()) expect(count).toBeLessThanOrEqual(capacity(CLUSTERS, 3));
  }, 60_000);

  it('after a SIGKILL, the survivors own the dead replica’s clusters within seconds, finish the deploy it had started, and apply a change made meanwhile once', async () => {
    // How many writes a restart makes when nothing moves.
    base.sandbox.resetStats();
    expectStatus(await base.owner.post(`${base.path}/restart`), 202);
    await applied(base);
    const writesPerRestart = base.sandbox.stats().mutating;
    expect(writesPerRestart).toBeGreaterThan(0);

    const before = await eventually(() => settled(3), 'three replicas to divide the clusters', 300, 100);
    // The busiest replica: nine clusters on three replicas, so it holds at least three.
    const [victimId] = [...loads(before.holders)].sort((a, b) => b[1] - a[1])[0]!;
    const victim = replicas.find((r) => r.child.pid === before.live.get(victimId))!;
    const [deploying, changing] = [...before.holders].filter(([, holder]) => holder === victimId).map(([id]) => byCluster.get(id)!);
    const previous = await restartedAt(changing!);
    changing!.sandbox.resetStats();
    // Slow cluster: the victim is in the middle of applying v2 when it dies.
    deploying!.sandbox.faults.set({ latencyMs: 300 });
    deploying!.sandbox.resetStats();
    expectStatus(await deploying!.owner.post(`${deploying!.path}/releases`, { image: 'example.com/app:2' }), 201);
    await eventually(async () => (deploying!.sandbox.stats().mutating >= 1 ? true : undefined), 'the victim to start applying', 1000, 20);
    victim.child.kill('SIGKILL');
    await new Promise((resolve) => victim.child.once('exit', resolve));
    deploying!.sandbox.faults.set({ latencyMs: 0 });
    // A change to another of its clusters while the dead replica's lease there still runs.
    expectStatus(await changing!.owner.post(`${changing!.path}/restart`), 202);
    const changingId = [...byCluster].find(([, env]) => env === changing)![0];
    expect((await ownership()).holders.get(changingId)).toBe(victimId);

    const after = await eventually(() => settled(2), 'the survivors to take the dead replica’s clusters', 300, 100);
    expect([...after.holders.values()]).not.toContain(victimId);
    for (const [cluster, holder] of before.holders) if (holder === victimId) expect(after.live.has(after.holders.get(cluster)!)).toBe(true);
    await deployed(deploying!.path, 2);
    await applied(changing!);
    expect(await restartedAt(changing!)).not.toBe(previous);
    expect(changing!.sandbox.stats().mutating).toBe(writesPerRestart);
  }, 120_000);

  it('a joining replica takes its share; changes made while the clusters move are each applied exactly once, none lost', async () => {
    await eventually(() => settled(2), 'two replicas to divide the clusters', 300, 100);
    base.sandbox.resetStats();
    expectStatus(await base.owner.post(`${base.path}/restart`), 202);
    await applied(base);
    const writesPerRestart = base.sandbox.stats().mutating;
    const previous = new Map<string, string | undefined>();
    for (const [id, env] of byCluster) previous.set(id, await restartedAt(env));
    for (const sandbox of sandboxes) sandbox.resetStats();

    // A fourth process joins. As soon as it has said it is alive, every environment is restarted,
    // those on the clusters moving to it first: the changes land before, while and after their
    // clusters change hands.
    const joiner = await spawnReplica({ BERTH_REPLICA_HEARTBEAT_MS: '3000' });
    const joinerId = await eventually(async () => {
      if (joiner.child.exitCode !== null) throw new Error(`the joining replica exited: ${joiner.stderr()}`);
      const rows = await sql<{ id: string }>(api.databaseUrl, 'SELECT id FROM berth_replicas WHERE host LIKE $1', [`%/${joiner.child.pid}`]);
      return rows[0]?.id;
    }, 'the joining replica to say it is alive', 1200, 25);
    const desired = assignClusters(clusterIds, [...(await ownership()).live.keys()]);
    const moving = clusterIds.filter((id) => desired.get(id) === joinerId);
    expect(moving.length).toBeGreaterThan(0);
    for (const id of [...moving, ...clusterIds.filter((c) => !moving.includes(c))]) {
      const env = byCluster.get(id)!;
      expectStatus(await env.owner.post(`${env.path}/restart`), 202);
    }
    await waitReady(joiner);
    const after = await eventually(() => settled(3), 'three replicas to divide the clusters again', 600, 100);
    expect(moving.every((id) => after.holders.get(id) === joinerId)).toBe(true);
    for (const [id, env] of byCluster) {
      // None lost: the restart reached the cluster…
      await applied(env);
      expect(await restartedAt(env)).not.toBe(previous.get(id));
      // …exactly once: the writes of one restart, no more.
      expect({ namespace: env.namespace, writes: env.sandbox.stats().mutating }).toEqual({ namespace: env.namespace, writes: writesPerRestart });
    }
  }, 180_000);

  it('a team’s change reaches its environments on every replica’s clusters, each applied once', async () => {
    const now = await eventually(() => settled(3), 'three replicas to divide the clusters', 600, 100);
    // One cluster of each replica: the team's change is one batch job, which one replica takes; it
    // reconciles the environment on its own cluster and queues the others' for their owners.
    const oneEach = new Map<string, number>();
    clusterIds.forEach((id, i) => {
      const holder = now.holders.get(id)!;
      if (!oneEach.has(holder)) oneEach.set(holder, i);
    });
    expect(oneEach.size).toBe(3);
    const team = await newTeam(api);
    const parent = await newApp(api, { team });
    const owner = team.owner.client;
    const envs: Placed[] = [];
    for (const i of oneEach.values()) {
      const name = `team-${i}`;
      expectStatus(await owner.post(`/v1/apps/${parent.name}/environments`, { name, cluster: sandboxes[i]!.name, progress_deadline_seconds: 3600 }), 201);
      const path = `/v1/apps/${parent.name}/environments/${name}`;
      expectStatus(await owner.post(`${path}/releases`, { image: 'example.com/app:1' }), 201);
      envs.push({ sandbox: sandboxes[i]!, path, owner, namespace: `${parent.name}-${name}` });
    }
    for (const env of envs) await deployed(env.path, 1);
    // Quota usage settled too (each first deploy charges the team: its other namespaces follow).
    const busy = "SELECT 1 FROM graphile_worker._private_jobs j JOIN graphile_worker._private_tasks t ON t.id = j.task_id WHERE t.identifier IN ('team_environments_changed', 'reconcile_environments', 'reconcile_environment')";
    await eventually(async () => ((await sql(api.databaseUrl, busy)).length === 0 ? true : undefined), 'the team’s changes to be applied', 600, 100);
    for (const env of envs) await applied(env);
    for (const env of envs) env.sandbox.resetStats();
    expectStatus(await owner.put(`/v1/teams/${team.name}/registry-credentials/example.com`, { username: 'ci', password: 'a-registry-token-1' }), 201);
    for (const env of envs) {
      await eventually(async () => ((await kubectl(env.sandbox, ['get', 'secret', '-n', env.namespace, '-o', 'name'])).includes('secret/registry-credentials') ? true : undefined), `the pull Secret in ${env.namespace}`, 600, 100);
      await applied(env);
    }
    // The same change everywhere: the same writes on each cluster (the Secret, and the Deployments
    // that now name it), none twice.
    const writes = envs.map((env) => env.sandbox.stats().mutating);
    expect(writes[0]).toBeGreaterThan(0);
    expect(new Set(writes).size).toBe(1);
  }, 180_000);
});
