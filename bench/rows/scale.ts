// Row 7: 10,000 environments over 3 sandbox clusters, seeded with SQL. Berth runs as a child process
// (`node dist/src/main.js`) so its peak RSS (VmHWM) is its own. Measured: the first full resync
// (nothing applied yet: every object written) and, after a restart, a full resync of environments
// already in sync (every object read, nothing written).
import { createServer } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { SandboxCluster } from '@berth/sandbox';
import { seedApp, spawnBerth, startBerth, type ChildBerth } from '../lib/berth.js';
import type { BenchPostgres } from '../lib/postgres.js';
import { query } from '../lib/postgres.js';
import { newSandbox, registerCluster } from '../lib/sandbox.js';
import { cloneEnvironments } from '../lib/seed.js';
import { num, verdict, type ResultRow } from '../lib/report.js';

const TOTAL = Number(process.env.BENCH_SCALE_ENVS ?? 10_000);
const INTERVAL_MS = 20_000;
const LIMIT_S = 60;
const TIMEOUT_MS = 180_000;

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

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const requests = (clusters: SandboxCluster[]) => clusters.reduce((a, c) => a + c.stats().total, 0);
const namespaceGets = (clusters: SandboxCluster[]) => clusters.reduce((a, c) => a + (c.stats().byResource['namespaces']?.byVerb.get ?? 0), 0);

/** Waits for the first request at a cluster, then until `done()`; seconds from first request to done. */
async function timed(clusters: SandboxCluster[], done: () => Promise<boolean>, progress: () => Promise<string>): Promise<{ seconds: number; finished: boolean; progress: string }> {
  const deadline = performance.now() + TIMEOUT_MS;
  while (requests(clusters) === 0 && performance.now() < deadline) await sleep(50);
  const t0 = performance.now();
  while (performance.now() < deadline) {
    if (await done()) return { seconds: (performance.now() - t0) / 1000, finished: true, progress: await progress() };
    await sleep(200);
  }
  return { seconds: (performance.now() - t0) / 1000, finished: false, progress: await progress() };
}

export async function scaleRows(pg: BenchPostgres): Promise<ResultRow[]> {
  const db = await pg.createDatabase('scale');
  const clusters: SandboxCluster[] = [];
  for (let i = 0; i < 3; i += 1) clusters.push(await newSandbox(`bench-s${i}`));
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
    const env = { BERTH_RESYNC_INTERVAL_MS: String(INTERVAL_MS) };
    const appliedCount = async () => Number((await query<{ n: string }>(db.url, 'SELECT count(*) AS n FROM environments WHERE applied_generation >= desired_generation'))[0]!.n);

    for (const c of clusters) c.resetStats();
    child = await spawnBerth(db.url, await freePort(), env);
    const first = await timed(clusters, async () => (await appliedCount()) >= envCount, async () => `${num(await appliedCount())}/${num(envCount)} applied`);
    const firstRss = child.peakRssMiB();
    const firstWrites = clusters.reduce((a, c) => a + c.stats().mutating, 0);
    await sleep(3000); // let status observations settle
    await child.stop();
    child = undefined;

    for (const c of clusters) c.resetStats();
    child = await spawnBerth(db.url, await freePort(), env);
    const quiet = await timed(clusters, async () => namespaceGets(clusters) >= envCount, async () => `${num(namespaceGets(clusters))}/${num(envCount)} environments read`);
    const quietRss = child.peakRssMiB();
    const quietWrites = clusters.reduce((a, c) => a + c.stats().mutating, 0);
    await child.stop();
    child = undefined;
    const fmt = (r: { seconds: number; finished: boolean; progress: string }) => (r.finished ? `${r.seconds.toFixed(1)} s` : `> ${r.seconds.toFixed(0)} s (unfinished: ${r.progress})`);
    const data = { environments: envCount, seedS, first, firstRss, firstWrites, quiet, quietRss, quietWrites };
    return [
      { row: '7 Scale', metric: `First full resync after a restart, ${num(envCount)} environments on 3 clusters, nothing applied yet`, measured: `${fmt(first)}, ${num(firstWrites)} writes`, value: fmt(first), goal: `≤ ${LIMIT_S} s`, verdict: verdict(first.finished && first.seconds <= LIMIT_S), data, note: `Seeded with SQL in ${seedS.toFixed(1)} s. Timed from the first request reaching a cluster to every environment's applied_generation catching up.` },
      { row: '7 Scale', metric: 'Full resync after a restart, everything already in sync', measured: `${fmt(quiet)}, ${num(quietWrites)} writes`, value: fmt(quiet), goal: `≤ ${LIMIT_S} s`, verdict: verdict(quiet.finished && quiet.seconds <= LIMIT_S), note: `Timed from the first request to every namespace having been read (a resync GETs each object).${first.finished ? '' : ' The first resync did not finish, so this one still had unapplied environments to write: not a quiet resync.'}` },
      { row: '7 Scale', metric: 'Peak RSS of the Berth process (VmHWM), first / quiet resync', measured: `${num(firstRss)} MiB / ${num(quietRss)} MiB`, value: `${num(Math.max(firstRss, quietRss))} MiB`, goal: '≤ 512 MiB', verdict: verdict(Math.max(firstRss, quietRss) <= 512) },
    ];
  } finally {
    await child?.stop();
    for (const c of clusters) await c.stop();
    await db.drop();
  }
}
