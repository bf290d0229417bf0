// The environment a reconcile or status look starts from is read with one prepared statement outside
// a transaction and with Prisma inside one: both must say exactly the same thing. A reconcile's record
// of what it applied is one statement that checks the cluster's lease, records, and queues the look.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { WorkQueueService } from '../../../src/modules/work-queue/work-queue.service.js';
import { OBSERVE_TASK } from '../../../src/modules/workloads/tasks.js';
import { sql } from '../../support/database.js';
import { newEnvironment } from '../../support/factories.js';
import { expectStatus } from '../../support/http.js';
import { createTestApp, type TestApp } from '../../support/test-app.js';
import { TransactionHost } from '../../../src/database/prisma.service.js';
import { WorkloadsRepository } from '../../../src/modules/workloads/workloads.repository.js';

// One application for the file, without workers: nothing but the tests moves what they compare (a
// reconcile would change a release between two reads) or take away what they look for (queued looks).
let app: TestApp;
beforeAll(async () => {
  app = await createTestApp({ env: { BERTH_WORKERS_ENABLED: 'false' } });
  await WorkQueueService.migrate(app.databaseUrl);
});
afterAll(async () => {
  await app?.close();
});

describe('WorkloadsRepository.loadEnvironment', () => {
  it('reads the same environment, process types (in type order) and domains (in name order) with and without a transaction', async () => {
    const env = await newEnvironment(app, { production: true });
    const path = `/v1/apps/${env.app.name}/environments/${env.name}`;
    const client = env.app.team.owner.client;
    expectStatus(await client.patch(`${path}/formation`, { process_types: [{ type: 'worker', replicas: 2, command: 'run --jobs' }, { type: 'web', replicas: 1, port: 8080, health_check_path: '/up', autoscaling: { min: 1, max: 3, target_cpu: 70 } }] }), 200);
    for (const hostname of [`zz-${env.name}.example.com`, `aa-${env.name}.example.com`]) expectStatus(await client.post(`${path}/domains`, { hostname }), 201);
    const repository = app.server.app.get(WorkloadsRepository);
    const prepared = await repository.loadEnvironment(env.id);
    const viaPrisma = await app.server.app.get(TransactionHost).run(() => repository.loadEnvironment(env.id));
    expect(prepared).toEqual(viaPrisma);
    expect(prepared?.processTypes.map((p) => p.type)).toEqual(['web', 'worker']);
    expect(prepared?.domains.map((d) => d.hostname)).toEqual([`aa-${env.name}.example.com`, `zz-${env.name}.example.com`]);
    expect(prepared?.app.team.id).toBe(prepared?.teamId);
    expect(await repository.loadEnvironment('00000000-0000-7000-8000-000000000000')).toBeNull();
  });

  it('reads the newest releases, newest first, the same with and without a transaction', async () => {
    const env = await newEnvironment(app);
    for (const tag of ['1', '2', '3']) expectStatus(await env.app.team.owner.client.post(`${env.path}/releases`, { image: `example.com/app:${tag}` }), 201);
    const repository = app.server.app.get(WorkloadsRepository);
    const teamId = (await repository.loadEnvironment(env.id))!.teamId;
    const prepared = await repository.latestReleases(teamId, env.id, 2);
    expect(prepared.map((r) => [r.number, r.image])).toEqual([[3, 'example.com/app:3'], [2, 'example.com/app:2']]);
    expect(prepared).toEqual(await app.server.app.get(TransactionHost).run(() => repository.latestReleases(teamId, env.id, 2)));
    // Another team's id finds nothing: the tenant is part of the statement.
    expect(await repository.latestReleases('00000000-0000-7000-8000-000000000000', env.id, 2)).toEqual([]);
  });

  it('reads a reconcile’s context in one statement exactly as the separate reads say it', async () => {
    const env = await newEnvironment(app);
    const repository = app.server.app.get(WorkloadsRepository);
    const separately = async () => {
      const state = (await repository.loadEnvironment(env.id))!;
      const logins = await sql(app.databaseUrl, 'SELECT 1 FROM registry_credentials WHERE team_id = $1::uuid', [state.teamId]);
      const [quota] = await sql<{ maxCpuMillis: number; maxMemoryMib: number; usedCpuMillis: number; usedMemoryMib: number; maxReplicasPerProcess: number }>(
        app.databaseUrl,
        'SELECT max_cpu_millis AS "maxCpuMillis", max_memory_mib AS "maxMemoryMib", used_cpu_millis AS "usedCpuMillis", used_memory_mib AS "usedMemoryMib", max_replicas_per_process AS "maxReplicasPerProcess" FROM team_quotas WHERE team_id = $1::uuid',
        [state.teamId],
      );
      return { state, cluster: state.clusterId ? await repository.clusterOf(state.clusterId) : null, releases: await repository.latestReleases(state.teamId, env.id, 2), quota: quota ?? null, hasRegistryLogins: logins.length > 0 };
    };
    // No release and no cluster yet; then one release; then three, on a cluster.
    expect(await repository.loadReconcile(env.id)).toEqual(await separately());
    expectStatus(await env.app.team.owner.client.post(`${env.path}/releases`, { image: 'example.com/app:1' }), 201);
    expect(await repository.loadReconcile(env.id)).toEqual(await separately());
    const clusterId = randomUUID();
    await sql(app.databaseUrl, "INSERT INTO clusters (id, name, api_url, credentials_ciphertext, labels, ingress_class_name, updated_at) VALUES ($1::uuid, $2, 'https://k8s.example.com', 'x', '{\"region\": \"eu\"}', 'nginx', now())", [clusterId, `ctx-${clusterId.slice(0, 8)}`]);
    await sql(app.databaseUrl, 'UPDATE environments SET cluster_id = $1::uuid WHERE id = $2::uuid', [clusterId, env.id]);
    for (const tag of ['2', '3']) expectStatus(await env.app.team.owner.client.post(`${env.path}/releases`, { image: `example.com/app:${tag}` }), 201);
    // A fraction whose milliseconds floating point gets wrong (0.57 × 1000 = 569.99…): the same Date either way.
    await sql(app.databaseUrl, "UPDATE releases SET created_at = '2026-12-01 10:00:00.570123+00' WHERE environment_id = $1::uuid AND number = 3", [env.id]);
    const context = await repository.loadReconcile(env.id);
    expect(context).toEqual(await separately());
    expect(context?.releases.map((r) => r.number)).toEqual([3, 2]);
    expect(context?.cluster).toMatchObject({ id: clusterId, labels: { region: 'eu' }, ingressClassName: 'nginx' });
    expect(context?.quota).not.toBeNull();
    expect(context?.hasRegistryLogins).toBe(false);
    expectStatus(await env.app.team.owner.client.put(`/v1/teams/${env.app.team.name}/registry-credentials/registry.example.com`, { username: 'ci', password: 'secret-token' }), 201);
    expect(await repository.loadReconcile(env.id)).toMatchObject({ hasRegistryLogins: true });
    expect(await repository.loadReconcile(env.id)).toEqual(await separately());
    expect(await repository.loadReconcile(randomUUID())).toBeNull();
  });
});

describe('WorkloadsRepository.recordApplied', () => {
  /** An environment on a cluster whose lease `holder` holds at epoch 3, for as long as `validFor`. */
  async function leased(holder: string, validFor = '1 minute'): Promise<{ teamId: string; environmentId: string; clusterId: string }> {
    const env = await newEnvironment(app);
    const clusterId = randomUUID();
    await sql(app.databaseUrl, "INSERT INTO clusters (id, name, api_url, credentials_ciphertext, updated_at) VALUES ($1::uuid, $2, 'https://k8s.example.com', 'x', now())", [clusterId, `rec-${clusterId.slice(0, 8)}`]);
    await sql(app.databaseUrl, 'UPDATE environments SET cluster_id = $1::uuid, desired_generation = 4 WHERE id = $2::uuid', [clusterId, env.id]);
    await sql(app.databaseUrl, `INSERT INTO cluster_leases (cluster_id, holder, epoch, expires_at, acquired_at) VALUES ($1::uuid, $2, 3, now() + interval '${validFor}', now())`, [clusterId, holder]);
    const teamId = (await app.server.app.get(WorkloadsRepository).loadEnvironment(env.id))!.teamId;
    return { teamId, environmentId: env.id, clusterId };
  }

  async function stateOf(environmentId: string): Promise<{ applied_generation: number; applied_objects: string[]; jobs: Array<{ key: string; flags: Record<string, true> | null; priority: number }> }> {
    const [row] = await sql<{ applied_generation: number; applied_objects: string[] }>(app.databaseUrl, 'SELECT applied_generation, applied_objects FROM environments WHERE id = $1::uuid', [environmentId]);
    const jobs = await sql<{ key: string; flags: Record<string, true> | null; priority: number }>(app.databaseUrl, 'SELECT key, flags, priority FROM graphile_worker._private_jobs WHERE key = $1', [`observe:${environmentId}`]);
    return { ...row!, jobs };
  }

  function look(environmentId: string) {
    const queue = app.server.app.get(WorkQueueService);
    return queue.specs([{ task: OBSERVE_TASK, payload: { environmentId, jobKey: `observe:${environmentId}` }, options: { jobKey: `observe:${environmentId}` } }]);
  }

  it('records the apply and queues the look, routed to the cluster, while the lease holds', async () => {
    const { teamId, environmentId, clusterId } = await leased('replica-a');
    const repository = app.server.app.get(WorkloadsRepository);
    const recorded = await repository.recordApplied([{ teamId, environmentId, generation: 4, appliedObjects: ['v1/Namespace//ns#a#b'], lease: { clusterId, holder: 'replica-a', epoch: 3 } }], look(environmentId));
    expect(recorded).toEqual({ held: new Set([`${clusterId}/3`]), recorded: [environmentId], queued: [`observe:${environmentId}`] });
    expect(await stateOf(environmentId)).toEqual({ applied_generation: 4, applied_objects: ['v1/Namespace//ns#a#b'], jobs: [{ key: `observe:${environmentId}`, flags: { [`cluster:${clusterId}`]: true }, priority: 1 }] });
    // Without a look to queue, only the record; an older generation never moves it back.
    expect(await repository.recordApplied([{ teamId, environmentId, generation: 2, appliedObjects: [], lease: { clusterId, holder: 'replica-a', epoch: 3 } }], null)).toEqual({ held: new Set([`${clusterId}/3`]), recorded: [environmentId], queued: [] });
    expect((await stateOf(environmentId)).applied_generation).toBe(4);
  });

  it('records nothing and queues nothing for a lease another replica holds, an older epoch, or one that ran out', async () => {
    const repository = app.server.app.get(WorkloadsRepository);
    for (const [holder, epoch, validFor] of [['replica-b', 3, '1 minute'], ['replica-a', 2, '1 minute'], ['replica-a', 3, '-1 second']] as const) {
      const { teamId, environmentId, clusterId } = await leased('replica-a', validFor);
      const recorded = await repository.recordApplied([{ teamId, environmentId, generation: 4, appliedObjects: ['v1/Namespace//ns#a#b'], lease: { clusterId, holder, epoch } }], look(environmentId));
      expect(recorded).toEqual({ held: new Set(), recorded: [], queued: [] });
      expect(await stateOf(environmentId)).toEqual({ applied_generation: 0, applied_objects: [], jobs: [] });
    }
  });

  it('records nothing in another team’s environment', async () => {
    const { environmentId, clusterId } = await leased('replica-a');
    const repository = app.server.app.get(WorkloadsRepository);
    expect(await repository.recordApplied([{ teamId: randomUUID(), environmentId, generation: 4, appliedObjects: ['x'], lease: { clusterId, holder: 'replica-a', epoch: 3 } }], look(environmentId))).toEqual({ held: new Set([`${clusterId}/3`]), recorded: [], queued: [] });
    expect(await stateOf(environmentId)).toEqual({ applied_generation: 0, applied_objects: [], jobs: [] });
  });

  it('records a batch over several clusters in one statement: each environment its own generation and objects under its own lease, looks only for what was recorded', async () => {
    const a = await leased('replica-a');
    const b = await leased('replica-a');
    await sql(app.databaseUrl, 'UPDATE environments SET cluster_id = $1::uuid WHERE id = $2::uuid', [a.clusterId, b.environmentId]);
    const stranger = await leased('replica-a');
    // Another cluster whose lease this replica lost (another holder now): nothing recorded there.
    const lost = await leased('replica-b');
    const other = await leased('replica-a');
    const repository = app.server.app.get(WorkloadsRepository);
    const queue = app.server.app.get(WorkQueueService);
    const looks = queue.specs([
      ...[a, b, stranger, lost].map(({ environmentId }) => ({ task: OBSERVE_TASK, payload: { environmentId, jobKey: `observe:${environmentId}` }, options: { jobKey: `observe:${environmentId}` } })),
      // Batch looks: queued for a cluster whose lease held, not for one whose did not.
      { task: 'observe_environments', payload: { clusterId: other.clusterId, environmentIds: [other.environmentId] } },
      { task: 'observe_environments', payload: { clusterId: lost.clusterId, environmentIds: [lost.environmentId] } },
    ]);
    const lease = (clusterId: string, holder = 'replica-a') => ({ clusterId, holder, epoch: 3 });
    const recorded = await repository.recordApplied(
      [
        { teamId: a.teamId, environmentId: a.environmentId, generation: 4, appliedObjects: ['v1/Namespace//a#1#2', 'v1/Secret/a/s#3#4'], lease: lease(a.clusterId) },
        { teamId: b.teamId, environmentId: b.environmentId, generation: 3, appliedObjects: [], lease: lease(a.clusterId) },
        // Named with the wrong team: not recorded, and its look not queued.
        { teamId: a.teamId, environmentId: stranger.environmentId, generation: 4, appliedObjects: ['x'], lease: lease(stranger.clusterId) },
        { teamId: lost.teamId, environmentId: lost.environmentId, generation: 4, appliedObjects: ['x'], lease: lease(lost.clusterId) },
        { teamId: other.teamId, environmentId: other.environmentId, generation: 4, appliedObjects: ['y'], lease: lease(other.clusterId) },
      ],
      looks,
    );
    expect(recorded.held).toEqual(new Set([`${a.clusterId}/3`, `${stranger.clusterId}/3`, `${other.clusterId}/3`]));
    expect([...recorded.recorded].sort()).toEqual([a.environmentId, b.environmentId, other.environmentId].sort());
    // Keyed looks by key; the batch look (no key) as null.
    expect(recorded.queued.filter((key) => key !== null).sort()).toEqual([`observe:${a.environmentId}`, `observe:${b.environmentId}`].sort());
    expect(recorded.queued).toHaveLength(3);
    expect(await stateOf(a.environmentId)).toEqual({ applied_generation: 4, applied_objects: ['v1/Namespace//a#1#2', 'v1/Secret/a/s#3#4'], jobs: [{ key: `observe:${a.environmentId}`, flags: { [`cluster:${a.clusterId}`]: true }, priority: 1 }] });
    expect(await stateOf(b.environmentId)).toMatchObject({ applied_generation: 3, applied_objects: [] });
    expect(await stateOf(stranger.environmentId)).toEqual({ applied_generation: 0, applied_objects: [], jobs: [] });
    expect(await stateOf(lost.environmentId)).toEqual({ applied_generation: 0, applied_objects: [], jobs: [] });
    const batchLooks = await sql<{ cluster: string }>(app.databaseUrl, "SELECT payload->>'clusterId' AS cluster FROM graphile_worker._private_jobs j JOIN graphile_worker._private_tasks t ON t.id = j.task_id WHERE t.identifier = 'observe_environments' AND payload->>'clusterId' = ANY($1::text[])", [[other.clusterId, lost.clusterId]]);
    expect(batchLooks).toEqual([{ cluster: other.clusterId }]);
  });
});

describe('WorkloadsRepository.settleStatus', () => {
  interface Row {
    observed_status: Record<string, unknown> | null;
    phase: string;
    reason: string | null;
    message: string | null;
  }

  /** An environment with one release (pending), and what a settle left of both. */
  async function deployed(): Promise<{ teamId: string; environmentId: string; releaseId: string; row: () => Promise<Row> }> {
    const env = await newEnvironment(app);
    const release = expectStatus(await env.app.team.owner.client.post<{ id: string }>(`${env.path}/releases`, { image: 'example.com/app:1' }), 201).body;
    const teamId = (await app.server.app.get(WorkloadsRepository).loadEnvironment(env.id))!.teamId;
    const row = async () => (await sql<Row>(app.databaseUrl, 'SELECT e.observed_status, r.phase, r.reason, r.message FROM environments e JOIN releases r ON r.environment_id = e.id WHERE e.id = $1::uuid', [env.id]))[0]!;
    return { teamId, environmentId: env.id, releaseId: release.id, row };
  }

  /** The notifications a step sends, by channel. */
  async function notified(step: () => Promise<unknown>): Promise<string[]> {
    const listener = new pg.Client({ connectionString: app.databaseUrl });
    await listener.connect();
    const seen: string[] = [];
    listener.on('notification', (n) => seen.push(n.channel));
    await listener.query('LISTEN berth_environment_status; LISTEN berth_release_status');
    try {
      await step();
      await new Promise((r) => setTimeout(r, 100));
      return seen;
    } finally {
      await listener.end();
    }
  }

  it('writes the same as the transaction it replaces: merged or replaced status, release phase, both notified', async () => {
    const repository = app.server.app.get(WorkloadsRepository);
    const tx = app.server.app.get(TransactionHost);
    const steps: Array<[{ replace: boolean; value: object }, { phase: string; reason: string | null; message: string | null } | null]> = [
      [{ replace: false, value: { phase: 'applying', reason: 'applying', message: 'applying v1', release: 1 } }, { phase: 'applying', reason: 'applying', message: 'applying v1' }],
      [{ replace: true, value: { phase: 'rolling_out', reason: 'rolling_out', message: '0/1', release: 1, processes: [{ type: 'web' }], pods: [], observed_at: '2026-12-01T00:00:00.000Z', verified: true } }, { phase: 'rolling_out', reason: 'rolling_out', message: '0/1' }],
      [{ replace: false, value: { phase: 'applying', reason: 'cluster_unreachable', message: 'down', release: 1 } }, null],
      [{ replace: true, value: { phase: 'succeeded', reason: null, message: null, release: 1, processes: [], pods: [], observed_at: null, verified: true } }, { phase: 'succeeded', reason: null, message: null }],
      // Final: a succeeded release never moves again; the environment's status still does.
      [{ replace: false, value: { phase: 'failed', reason: 'crash_loop', message: 'x', release: 1 } }, { phase: 'failed', reason: 'crash_loop', message: 'x' }],
    ];
    const prepared = await deployed();
    const viaPrisma = await deployed();
    for (const [status, phase] of steps) {
      const a = await repository.settleStatus(prepared.teamId, prepared.environmentId, status, phase && { id: prepared.releaseId, ...phase });
      const b = await tx.run(() => repository.settleStatus(viaPrisma.teamId, viaPrisma.environmentId, status, phase && { id: viaPrisma.releaseId, ...phase }));
      expect(a).toBe(b);
      expect(await prepared.row()).toEqual(await viaPrisma.row());
    }
    expect(await prepared.row()).toMatchObject({ phase: 'succeeded', observed_status: { phase: 'failed', reason: 'crash_loop', processes: [], verified: true } });
  });

  it('notifies the environment always and the release only when it changed', async () => {
    const repository = app.server.app.get(WorkloadsRepository);
    const { teamId, environmentId, releaseId } = await deployed();
    const applying = { phase: 'applying', reason: 'applying', message: 'applying v1' };
    expect(await notified(() => repository.settleStatus(teamId, environmentId, { replace: false, value: { ...applying, release: 1 } }, { id: releaseId, ...applying }))).toEqual(['berth_environment_status', 'berth_release_status']);
    expect(await notified(() => repository.settleStatus(teamId, environmentId, { replace: false, value: { ...applying, release: 1 } }, { id: releaseId, ...applying }))).toEqual(['berth_environment_status']);
    expect(await notified(() => repository.settleStatus(teamId, environmentId, { replace: false, value: { ...applying, release: 1 } }, null))).toEqual(['berth_environment_status']);
  });

  it('writes nothing in another team’s environment or release', async () => {
    const repository = app.server.app.get(WorkloadsRepository);
    const { environmentId, releaseId, row } = await deployed();
    const before = await row();
    expect(await repository.settleStatus(randomUUID(), environmentId, { replace: false, value: { phase: 'failed', reason: 'x', message: 'x', release: 1 } }, { id: releaseId, phase: 'failed', reason: 'x', message: 'x' })).toBe(false);
    expect(await row()).toEqual(before);
  });

  it('settles many environments in one statement exactly as one by one, each only in its own team', async () => {
    const repository = app.server.app.get(WorkloadsRepository);
    const [a, b, c, stranger] = [await deployed(), await deployed(), await deployed(), await deployed()];
    const [a1, b1, c1] = [await deployed(), await deployed(), await deployed()];
    const rolling = { phase: 'rolling_out', reason: 'rolling_out', message: '0/1' };
    const live = { ...rolling, release: 1, processes: [{ type: 'web' }], pods: [], observed_at: '2026-12-01T00:00:00.000Z', verified: true };
    const merged = { phase: 'applying', reason: 'applying', message: 'applying v1', release: 1 };
    // a: a live observation with its release; b: merged bookkeeping, release left; c: a release already final.
    await repository.settleStatus(c.teamId, c.environmentId, { replace: false, value: merged }, { id: c.releaseId, phase: 'succeeded', reason: null, message: null });
    await repository.settleStatus(c1.teamId, c1.environmentId, { replace: false, value: merged }, { id: c1.releaseId, phase: 'succeeded', reason: null, message: null });
    const changed = await repository.settleStatuses([
      { teamId: a.teamId, environmentId: a.environmentId, replace: true, value: live, release: { id: a.releaseId, ...rolling } },
      { teamId: b.teamId, environmentId: b.environmentId, replace: false, value: merged, release: null },
      { teamId: c.teamId, environmentId: c.environmentId, replace: true, value: live, release: { id: c.releaseId, ...rolling } },
      // Named with another team: nothing written.
      { teamId: a.teamId, environmentId: stranger.environmentId, replace: true, value: live, release: { id: stranger.releaseId, ...rolling } },
    ]);
    expect(changed).toEqual(new Set([a.environmentId]));
    expect(await repository.settleStatus(a1.teamId, a1.environmentId, { replace: true, value: live }, { id: a1.releaseId, ...rolling })).toBe(true);
    expect(await repository.settleStatus(b1.teamId, b1.environmentId, { replace: false, value: merged }, null)).toBe(false);
    expect(await repository.settleStatus(c1.teamId, c1.environmentId, { replace: true, value: live }, { id: c1.releaseId, ...rolling })).toBe(false);
    const strip = (row: Awaited<ReturnType<typeof a.row>>) => ({ ...row, observed_status: { ...row.observed_status, observed_at: null } });
    for (const [batched, single] of [[a, a1], [b, b1], [c, c1]] as const) expect(strip(await batched.row())).toEqual(strip(await single.row()));
    expect(await stranger.row()).toMatchObject({ phase: 'pending' });
  });
});
