// Row 7: 10,000 environments over 3 sandbox clusters, seeded with SQL. Berth runs as a child process
// (`node dist/src/main.js`) so its peak RSS (VmHWM) is its own; the sandbox clusters run in another
// child process (bench/lib/sandbox-host.ts), so the three processes (and PostgreSQL) share the 2
// cores through the OS scheduler rather than one event loop. Measured:
//   - the first full resync after a start, nothing applied yet (every object written);
//   - the resync after a restart with everything in sync: informers list the clusters (paged,
//     cluster-wide, label-selected), then every environment is compared with their cache; no GET,
//     no write, no list beyond the informers' own;
//   - a periodic resync while running and in sync: no request at all;
//   - then the drift row (bench/rows/drift.ts) on the same running Berth.
import { createServer } from 'node:net';
import { performance } from 'node:perf_hooks';
import { seedApp, spawnBerth, startBerth, type ChildBerth } from '../lib/berth.js';
import type { BenchPostgres } from '../lib/postgres.js';
import { query } from '../lib/postgres.js';
import { registerCluster, startSandboxHost, totalStats, type RemoteSandbox, type SandboxHost } from '../lib/sandbox.js';
import { cloneEnvironments } from '../lib/seed.js';
import { notMeasured, num, verdict, type ResultRow } from '../lib/report.js';
import { driftRows } from './drift.js';
import { cpuShare, type CpuShare } from '../lib/cpu.js';

const TOTAL = Number(process.env.BENCH_SCALE_ENVS ?? 10_000);
const FIRST_LIMIT_S = 60;
const QUIET_LIMIT_S = 10;
/** Each phase gives up after this long (BENCH_SCALE_TIMEOUT_S), printing the progress reached. */
const TIMEOUT_MS = Number(process.env.BENCH_SCALE_TIMEOUT_S ?? 180) * 1000;
/** The periodic resync's interval while Berth runs (the third phase waits for one). */
const INTERVAL_MS = 30_000;
/**
 * V8's heap limit for the Berth child, as a container with 512 MiB would set it
 * (BENCH_BERTH_HEAP_MB; 0 leaves V8's default, which lets the heap grow lazily far beyond what is live).
 */
const HEAP_MB = Number(process.env.BENCH_BERTH_HEAP_MB ?? 320);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

/** The other processes that used most of "the rest", when any did. */
function othersNote(cpu: CpuShare): string {
  return cpu.otherTop.length ? ` (of which ${cpu.otherTop.map((o) => `${o.command} ${o.s}`).join(', ')})` : '';
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits for the first request at a cluster, then until `done()`; seconds from that request to done. */
async function timed(clusters: RemoteSandbox[], pids: { berth: number; sandbox: number }, done: () => Promise<boolean>, progress: () => Promise<string>): Promise<{ seconds: number; finished: boolean; progress: string; cpu: CpuShare }> {
  const deadline = performance.now() + TIMEOUT_MS;
  while ((await totalStats(clusters)).total === 0 && performance.now() < deadline) await sleep(20);
  const t0 = performance.now();
  const cpu = cpuShare(pids.berth, pids.sandbox);
  while (performance.now() < deadline) {
    if (await done()) return { seconds: (performance.now() - t0) / 1000, finished: true, progress: await progress(), cpu: cpu() };
    await sleep(100);
  }
  return { seconds: (performance.now() - t0) / 1000, finished: false, progress: await progress(), cpu: cpu() };
}

async function pendingJobs(url: string, tasks: string[]): Promise<number> {
  return Number((await query<{ n: string }>(url, 'SELECT count(*) AS n FROM graphile_worker.jobs WHERE task_identifier = ANY($1::text[])', [tasks]))[0]!.n);
}

export async function scaleRows(pg: BenchPostgres): Promise<ResultRow[]> {
  const db = await pg.createDatabase('scale');
  // Each cluster's node is sized for its share of the environments (one small pod each), as a real
  // cluster running them would be (bench/lib/sandbox-host.ts, nodeCapacity).
  const perCluster = Math.ceil((TOTAL + 1) / 3);
  const nodeCapacity = { cpu: String(Math.ceil(perCluster / 4) + 8), memory: `${(perCluster + 32) * 512}Mi`, pods: String(perCluster + 110) };
  const host: SandboxHost = await startSandboxHost(['bench-s0', 'bench-s1', 'bench-s2'].map((name) => ({ name, nodeCapacity })));
  const clusters = host.clusters;
  let child: ChildBerth | undefined;
  try {
    const setup = await startBerth(db.url, { BERTH_WORKERS_ENABLED: 'false', BERTH_RATE_LIMIT_ENABLED: 'false' });
    const clusterIds: string[] = [];
    for (const c of clusters) clusterIds.push(await registerCluster(setup, c));
    const seeded = await seedApp(setup.api, 'scale');
    const owner = setup.api.as(seeded.token);
    const tmpl = await owner.call<{ id: string }>('POST', `/v1/apps/${seeded.app}/environments`, { name: 'tmpl', cluster: clusters[0]!.name });
    await owner.call('POST', `/v1/apps/${seeded.app}/environments/tmpl/releases`, { image: 'registry.example.com/bench/web:1.0.0' });
    await setup.close();
    await query(db.url, 'DELETE FROM graphile_worker._private_jobs');
    const t = performance.now();
    const { environmentIds } = await cloneEnvironments(db.url, tmpl.id, clusterIds, TOTAL);
    // The template environment is left unapplied too; it is one more to resync.
    const seedS = (performance.now() - t) / 1000;
    const envCount = environmentIds.length + 1;
    // Reconciles wait on the network and PostgreSQL more than on the CPU: 16 workers and a pool to match.
    const env = { BERTH_RESYNC_INTERVAL_MS: String(INTERVAL_MS), BERTH_WORKER_CONCURRENCY: process.env.BENCH_WORKER_CONCURRENCY ?? '16', DATABASE_POOL_SIZE: '20', ...(HEAP_MB ? { NODE_OPTIONS: `--max-old-space-size=${HEAP_MB}` } : {}) };
    const appliedCount = async () => Number((await query<{ n: string }>(db.url, 'SELECT count(*) AS n FROM environments WHERE applied_generation >= desired_generation'))[0]!.n);
    // Polled every 100 ms: stops at the first environment still behind instead of counting them all
    // (the count took 1.2 ms a call at 2,001 environments in pg_stat_statements, growing with the
    // table, on the cores Berth and the sandbox share).
    const allApplied = async () => (await query<{ done: boolean }>(db.url, 'SELECT NOT EXISTS (SELECT 1 FROM environments WHERE applied_generation < desired_generation) AS done'))[0]!.done;

    // 1. First resync: nothing applied yet.
    for (const c of clusters) await c.resetStats();
    child = await spawnBerth(db.url, await freePort(), env);
    const first = await timed(clusters, { berth: child.pid, sandbox: host.pid }, allApplied, async () => `${num(await appliedCount())}/${num(envCount)} applied`);
    const firstWrites = (await totalStats(clusters)).mutating;
    // Status looks and rollouts settle before the restart.
    for (let i = 0; i < 600 && (await pendingJobs(db.url, ['observe_environment', 'reconcile_environment', 'resync_environments'])) > 0; i += 1) await sleep(100);
    const firstRss = child.peakRssMiB();
    await child.stop();
    child = undefined;

    // 2. Restart with everything in sync: informers list, then every environment is compared.
    for (const c of clusters) await c.resetStats();
    const spawned = performance.now();
    child = await spawnBerth(db.url, await freePort(), env);
    const quiet = await timed(clusters, { berth: child.pid, sandbox: host.pid }, async () => (await pendingJobs(db.url, ['resync_environments', 'reconcile_environment'])) === 0, async () => `${num(await pendingJobs(db.url, ['resync_environments', 'reconcile_environment']))} resync/reconcile jobs left`);
    const quietFromSpawnS = (performance.now() - spawned) / 1000;
    const quietStats = await totalStats(clusters);
    const pages = (await Promise.all(clusters.map((c) => c.informerPages()))).reduce((a, b) => a + b, 0);

    // 3. A periodic resync while running, everything in sync: counted from a clean slate.
    for (let i = 0; i < 600 && (await pendingJobs(db.url, ['observe_environment', 'reconcile_environment', 'resync_environments'])) > 0; i += 1) await sleep(100);
    for (const c of clusters) await c.resetStats();
    const before = Number((await query<{ n: string }>(db.url, "SELECT count(*) AS n FROM graphile_worker._private_jobs j JOIN graphile_worker._private_tasks t ON t.id = j.task_id WHERE t.identifier = 'resync_environments'"))[0]!.n);
    let periodic = { seconds: Number.NaN, finished: false };
    const deadline = performance.now() + INTERVAL_MS + 30_000;
    while (performance.now() < deadline && (await pendingJobs(db.url, ['resync_environments'])) === before) await sleep(50);
    const p0 = performance.now();
    while (performance.now() < deadline) {
      if ((await pendingJobs(db.url, ['resync_environments', 'reconcile_environment'])) === 0) {
        periodic = { seconds: (performance.now() - p0) / 1000, finished: true };
        break;
      }
      await sleep(50);
    }
    const periodicStats = await totalStats(clusters);

    // 4. Drift on the same running Berth.
    // A failure here keeps the phases above (their figures are what row 7 is judged on).
    const drift = await driftRows(db.url, clusters).catch((error: unknown) => [notMeasured('Drift', 'A Deployment deleted by hand among the environments of row 7', 'p99 ≤ 5 s', `failed: ${error instanceof Error ? error.message : String(error)}`)]);
    const quietRss = child.peakRssMiB();
    const sandboxRss = await host.rssMiB();
    await child.stop();
    child = undefined;

    const fmt = (r: { seconds: number; finished: boolean; progress: string }) => (r.finished ? `${r.seconds.toFixed(1)} s` : `> ${r.seconds.toFixed(0)} s (unfinished: ${r.progress})`);
    const lists = quietStats.byVerb.list ?? 0;
    const gets = quietStats.byVerb.get ?? 0;
    const data = { environments: envCount, seedS, first, firstRss, firstWrites, quiet, quietFromSpawnS, quietStats, informerPages: pages, periodic, periodicStats, quietRss, sandboxRss, heapMb: HEAP_MB };
    return [
      { row: '7 Scale', metric: `First full resync after a start, ${num(envCount)} environments on 3 clusters, nothing applied yet`, measured: `${fmt(first)}, ${num(firstWrites)} writes`, value: fmt(first), goal: `≤ ${FIRST_LIMIT_S} s`, verdict: verdict(first.finished && first.seconds <= FIRST_LIMIT_S), data, note: `Seeded with SQL in ${seedS.toFixed(1)} s. Timed from the first request reaching a cluster to every environment's applied_generation catching up. CPU seconds meanwhile: Berth ${first.cpu.berthS}, sandbox clusters ${first.cpu.sandboxS}, PostgreSQL ${first.cpu.postgresS}, the bench process (polling) ${first.cpu.benchS}, soft interrupts (the kernel's network processing) ${first.cpu.softirqS}, the rest of the machine ${first.cpu.otherS}${othersNote(first.cpu)}.` },
      { row: '7 Scale', metric: 'Resync after a restart, everything already in sync (informers list, then every environment compared)', measured: `${fmt(quiet)} (${quietFromSpawnS.toFixed(1)} s from spawn); ${quietStats.mutating} writes, ${gets} gets, ${lists} lists (informer pages: ${pages}), ${quietStats.byVerb.watch ?? 0} watches`, value: fmt(quiet), goal: `≤ ${QUIET_LIMIT_S} s, 0 writes, 0 gets, no list beyond the informers'`, verdict: verdict(quiet.finished && quiet.seconds <= QUIET_LIMIT_S && quietStats.mutating === 0 && gets === 0 && lists <= pages), note: 'Timed from the first request (an informer list) to no resync or reconcile job left.' },
      { row: '7 Scale', metric: 'Periodic resync while running, everything in sync', measured: periodic.finished ? `${periodic.seconds.toFixed(1)} s; ${periodicStats.total} requests (${periodicStats.mutating} writes)` : 'did not run', value: `${periodicStats.total} requests`, goal: '0 requests, 0 writes', verdict: verdict(periodic.finished && periodicStats.total === 0), note: 'Batches of 500 environments compared with the informer caches, spread over a quarter of the interval.' },
      { row: '7 Scale', metric: `Peak RSS of the Berth process (VmHWM), first resync / restart + drift${HEAP_MB ? ` (--max-old-space-size=${HEAP_MB})` : ''}`, measured: `${num(firstRss)} MiB / ${num(quietRss)} MiB (sandbox process ${num(sandboxRss)} MiB)`, value: `${num(Math.max(firstRss, quietRss))} MiB`, goal: '≤ 512 MiB', verdict: verdict(Math.max(firstRss, quietRss) <= 512) },
      ...drift,
    ];
  } finally {
    await child?.stop();
    await host.stop();
    await db.drop();
  }
}
