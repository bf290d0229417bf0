// Row 6: with 15 ms added to every Kubernetes call, ONE change that fans out to 10 clusters vs the
// same change reaching one: a team's registry login replaced (PUT /v1/teams/{team}/registry-
// credentials/{registry}), which re-applies the image pull Secret in every environment of the team,
// for a team with 10 environments on 10 clusters vs a team with 1 environment on 1 cluster. Also
// reported: 10 deploys at once to 10 clusters vs 1 (10 POSTs, whose write transactions queue on the
// audit chain's head row); then 20 deploys per second, accept-to-applied p99 (applied = the
// environment's applied_generation reaches its desired_generation; polled with one SQL query).
import { performance } from 'node:perf_hooks';
import { seedApp, startBerth, type Api } from '../lib/berth.js';
import { median } from '../lib/load.js';
import type { BenchPostgres } from '../lib/postgres.js';
import { query } from '../lib/postgres.js';
import { registerCluster, startSandboxHost, syncStates, waitApplied } from '../lib/sandbox.js';
import { num, times, verdict, type ResultRow } from '../lib/report.js';

const CLUSTERS = 10;
const LATENCY_MS = 15;
const RATE = 20;
const STEADY_S = Number(process.env.BENCH_FANOUT_SECONDS ?? 5);
/** More rounds of the login change make a longer window to profile (BENCH_FANOUT_LOGIN_ROUNDS). */
const LOGIN_ROUNDS = Number(process.env.BENCH_FANOUT_LOGIN_ROUNDS ?? 5);
/** Berth's default 8 workers unless BENCH_WORKER_CONCURRENCY says otherwise (16 did not help on the shared machine). */
const WORKERS: Record<string, string> = process.env.BENCH_WORKER_CONCURRENCY ? { BERTH_WORKER_CONCURRENCY: process.env.BENCH_WORKER_CONCURRENCY } : {};

interface Target {
  id: string;
  path: string;
}

let imageCounter = 0;

/** Time from the first POST until all are applied, and the part spent until every POST was answered. */
async function release(owner: Api, targets: Target[], databaseUrl: string, accepted?: number[]): Promise<number> {
  const t0 = performance.now();
  imageCounter += 1;
  await Promise.all(targets.map((t) => owner.call('POST', `${t.path}/releases`, { image: `registry.example.com/bench/web:2.${imageCounter}` })));
  accepted?.push(performance.now() - t0);
  await waitApplied(databaseUrl, targets.map((t) => t.id));
  return performance.now() - t0;
}

let passwordCounter = 0;
const REGISTRY = 'registry.example.com';

/** Time from the PUT of a new login until every environment of the team has applied it. */
async function rotateLogin(owner: Api, team: string, ids: string[], databaseUrl: string): Promise<number> {
  // The PUT only queues the team's change; a job bumps each environment's desired_generation after
  // it commits. So "applied ≥ desired" right after the answer can still be the previous login:
  // wait for the generation after the one each environment had before the PUT.
  const next = new Map((await syncStates(databaseUrl, ids)).map((s) => [s.id, s.desired + 1]));
  const t0 = performance.now();
  passwordCounter += 1;
  await owner.call('PUT', `/v1/teams/${team}/registry-credentials/${REGISTRY}`, { username: 'bench', password: `token-${passwordCounter}` });
  await waitApplied(databaseUrl, ids, next);
  return performance.now() - t0;
}

/** Deploys at RATE per second round-robin over the targets; accept-to-applied latencies in ms. */
async function steady(owner: Api, targets: Target[], databaseUrl: string): Promise<number[]> {
  const pending: Array<{ id: string; acceptedAt: number; generation: number }> = [];
  const done: number[] = [];
  let stop = false;
  const poller = (async () => {
    while (!stop || pending.length) {
      const states = new Map((await syncStates(databaseUrl, targets.map((t) => t.id))).map((s) => [s.id, s.applied]));
      const now = performance.now();
      for (let i = pending.length - 1; i >= 0; i -= 1) {
        const p = pending[i]!;
        if ((states.get(p.id) ?? 0) >= p.generation) {
          done.push(now - p.acceptedAt);
          pending.splice(i, 1);
        }
      }
      await new Promise((r) => setTimeout(r, 5));
    }
  })();
  const posts: Promise<void>[] = [];
  const total = RATE * STEADY_S;
  const start = performance.now();
  for (let i = 0; i < total; i += 1) {
    const wait = start + (i * 1000) / RATE - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const target = targets[i % targets.length]!;
    posts.push(
      (async () => {
        imageCounter += 1;
        await owner.call('POST', `${target.path}/releases`, { image: `registry.example.com/bench/web:3.${imageCounter}` });
        const acceptedAt = performance.now();
        // The generation this release asked for (or a later one, if another landed meanwhile: conservative).
        const [row] = await query<{ desired: number }>(databaseUrl, 'SELECT desired_generation AS desired FROM environments WHERE id = $1', [target.id]);
        pending.push({ id: target.id, acceptedAt, generation: row!.desired });
      })(),
    );
  }
  try {
    await Promise.all(posts);
  } finally {
    // Also when a POST failed: a poller left running outlives the database the row drops and
    // crashes the run with 57P01/3D000, hiding the POST's own error.
    stop = true;
    await Promise.race([poller.catch(() => undefined), new Promise((r) => setTimeout(r, 60_000))]);
  }
  return done.sort((a, b) => a - b);
}

export async function fanoutRows(pg: BenchPostgres): Promise<ResultRow[]> {
  const db = await pg.createDatabase('fanout');
  // The clusters run in a child process of their own (bench/lib/sandbox-host.ts).
  const host = await startSandboxHost(Array.from({ length: CLUSTERS }, (_, i) => ({ name: `bench-f${i}` })));
  const clusters = host.clusters;
  const berth = await startBerth(db.url, { BERTH_RATE_LIMIT_ENABLED: 'false', ...WORKERS });
  try {
    for (const c of clusters) await registerCluster(berth, c);
    const seeded = await seedApp(berth.api, 'fanout');
    const owner = berth.api.as(seeded.token);
    const targets: Target[] = [];
    for (const c of clusters) {
      const name = c.name.replace('bench-', '');
      const env = await owner.call<{ id: string }>('POST', `/v1/apps/${seeded.app}/environments`, { name, cluster: c.name });
      targets.push({ id: env.id, path: `/v1/apps/${seeded.app}/environments/${name}` });
    }
    // First deploy everywhere, no added latency, one at a time: concurrent FIRST releases of one team
    // deadlock (40P01 → 500) in the quota charge + EnvironmentEvents.teamChanged of the same
    // transaction (reported in #15); later releases charge nothing and run concurrently below.
    for (const t of targets) await release(owner, [t], db.url);
    // A second team with one environment on one cluster: the same single change, fanned out to one.
    const single = await seedApp(berth.api, 'fanone');
    const singleOwner = berth.api.as(single.token);
    const lone = await singleOwner.call<{ id: string }>('POST', `/v1/apps/${single.app}/environments`, { name: 'f0', cluster: clusters[0]!.name });
    const loneTarget: Target = { id: lone.id, path: `/v1/apps/${single.app}/environments/f0` };
    await release(singleOwner, [loneTarget], db.url);
    // The first login adds imagePullSecrets to each Deployment too; later ones change only the Secret.
    await rotateLogin(owner, seeded.team, targets.map((t) => t.id), db.url);
    await rotateLogin(singleOwner, single.team, [lone.id], db.url);
    for (const c of clusters) await c.setFaults({ latencyMs: LATENCY_MS });
    await release(owner, targets, db.url); // warm-up with latency
    await rotateLogin(owner, seeded.team, targets.map((t) => t.id), db.url);
    await rotateLogin(singleOwner, single.team, [lone.id], db.url);
    const loginAll: number[] = [];
    const loginOne: number[] = [];
    for (let round = 0; round < LOGIN_ROUNDS; round += 1) {
      if (round % 2) loginAll.push(await rotateLogin(owner, seeded.team, targets.map((t) => t.id), db.url));
      loginOne.push(await rotateLogin(singleOwner, single.team, [lone.id], db.url));
      if (!(round % 2)) loginAll.push(await rotateLogin(owner, seeded.team, targets.map((t) => t.id), db.url));
    }
    const loginRatio = median(loginAll) / median(loginOne);
    const one: number[] = [];
    const all: number[] = [];
    const oneAccepted: number[] = [];
    const allAccepted: number[] = [];
    for (let round = 0; round < 5; round += 1) {
      if (round % 2) all.push(await release(owner, targets, db.url, allAccepted));
      one.push(await release(owner, [targets[round % CLUSTERS]!], db.url, oneAccepted));
      if (!(round % 2)) all.push(await release(owner, targets, db.url, allAccepted));
    }
    const ratio = median(all) / median(one);
    // After acceptance: from the last 201 to applied everywhere (the reconcile and apply part).
    const applyAll = all.map((t, i) => t - allAccepted[i]!);
    const applyOne = one.map((t, i) => t - oneAccepted[i]!);
    const applyRatio = median(applyAll) / median(applyOne);
    const lat = await steady(owner, targets, db.url);
    const p99 = lat.length ? lat[Math.min(lat.length - 1, Math.floor(0.99 * lat.length))]! : Number.NaN;
    const p50 = lat.length ? lat[Math.floor(0.5 * lat.length)]! : Number.NaN;
    const missing = RATE * STEADY_S - lat.length;
    return [
      { row: '6 Fan-out', metric: `One change fanned out to ${CLUSTERS} clusters vs 1: a team's registry login replaced, its ${CLUSTERS} environments on ${CLUSTERS} clusters vs a team's 1 on 1, +${LATENCY_MS} ms per Kubernetes call`, measured: `${num(median(loginAll))} ms vs ${num(median(loginOne))} ms`, value: times(loginRatio), goal: '≤ 1.5× one cluster', verdict: verdict(loginRatio <= 1.5), data: { loginAll, loginOne }, note: `One PUT /v1/teams/{team}/registry-credentials/${REGISTRY} (it queues the team's change; a job then bumps every environment of the team and queues their reconciles); timed from the request until every environment applied the generation after the one it had before the request (SQL poll every 5 ms on a kept connection). Each reconcile re-applies the image pull Secret. Median of ${LOGIN_ROUNDS} interleaved rounds.` },
      { row: '6 Fan-out', metric: `${CLUSTERS} deploys at once to ${CLUSTERS} clusters vs 1: dominated by the audit chain's serial appends, +${LATENCY_MS} ms per Kubernetes call`, measured: `${num(median(all))} ms vs ${num(median(one))} ms`, value: times(ratio), goal: 'reported', verdict: 'INFO', data: { one, all, latencies: lat }, note: `Time from the first POST until every environment's applied_generation caught up (SQL poll every 5 ms). Reconciles run on BERTH_WORKER_CONCURRENCY = ${WORKERS.BERTH_WORKER_CONCURRENCY ?? 8} workers; each reconcile applies its changed objects in three phases, the objects of a phase concurrently (+15 ms per phase with a change). The clusters run in a child process.` },
      { row: '6 Fan-out', metric: 'Same, from the last 201 to applied everywhere (reconcile and apply only)', measured: `${num(median(applyAll))} ms vs ${num(median(applyOne))} ms (accepting the POSTs: ${num(median(allAccepted))} ms vs ${num(median(oneAccepted))} ms)`, value: times(applyRatio), goal: 'reported', verdict: 'INFO', data: { applyAll, applyOne, allAccepted, oneAccepted }, note: 'Ten concurrent release transactions queue on the audit chain\'s head row (one audit append at a time), which the end-to-end ratio above includes.' },
      { row: '6 Fan-out', metric: `${RATE} deploys/s for ${STEADY_S} s over ${CLUSTERS} clusters: accept-to-applied`, measured: `p50 ${num(p50)} ms, p99 ${num(p99)} ms (${lat.length} deploys${missing ? `, ${missing} not applied in time` : ''})`, value: `${num(p99)} ms`, goal: 'p99 ≤ 1 s', verdict: verdict(p99 <= 1000 && missing === 0) },
    ];
  } finally {
    await berth.close();
    await host.stop();
    await db.drop();
  }
}
