// Row 8: Berth's work queue (WorkQueueService: graphile-worker behind Berth's retry wrapper, jobs
// added through Prisma in a transaction) vs graphile-worker used raw, same no-op task, same
// concurrency and pool, each on its own database. Throughput: drain a backlog of JOBS; latency:
// enqueue-to-start at a steady rate.
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { run, makeWorkerUtils, Logger, type Runner, type WorkerUtils } from 'graphile-worker';
import { TransactionHost } from '../../src/database/prisma.service.js';
import { WorkQueueService } from '../../src/modules/work-queue/work-queue.service.js';
import { startBerth } from '../lib/berth.js';
import { median } from '../lib/load.js';
import type { BenchPostgres } from '../lib/postgres.js';
import { num, pct, verdict, type ResultRow } from '../lib/report.js';

const TASK = 'bench_noop';
const CONCURRENCY = 8;
const JOBS = Number(process.env.BENCH_QUEUE_JOBS ?? 2000);
const LATENCY_JOBS = 100;
const LATENCY_GAP_MS = 20;

interface QueueArm {
  /** Stops claiming (jobs stay queued). */
  stop(): Promise<void>;
  start(): Promise<void>;
  enqueue(payload: Record<string, unknown>): Promise<void>;
  url: string;
  close(): Promise<void>;
}

/** Handlers report here: the time each job started, and when the first job of a drain did. */
const started = new Map<string, number>();
let firstStart: number | undefined;
let drained = 0;
let onDrain: (() => void) | undefined;
let target = 0;

function handle(payload: unknown): void {
  const p = payload as { id?: string };
  if (p.id) started.set(p.id, performance.timeOrigin + performance.now());
  firstStart ??= performance.now();
  drained += 1;
  if (drained === target) onDrain?.();
}

const silent = new Logger(() => () => undefined);

async function berthArm(pg_: BenchPostgres): Promise<QueueArm> {
  const db = await pg_.createDatabase('qberth');
  const berth = await startBerth(db.url, { BERTH_WORKER_CONCURRENCY: String(CONCURRENCY) });
  const queue = berth.server.app.get(WorkQueueService);
  const tx = berth.server.app.get(TransactionHost);
  await queue.stop();
  queue.register(TASK, async (payload) => handle(payload));
  return {
    url: db.url,
    stop: () => queue.stop(),
    start: () => queue.start(),
    enqueue: (payload) => tx.run(() => queue.enqueue(TASK, payload)),
    async close() {
      await berth.close();
      await db.drop();
    },
  };
}

async function rawArm(pg_: BenchPostgres): Promise<QueueArm> {
  const db = await pg_.createDatabase('qraw');
  let runner: Runner | undefined;
  const utils: WorkerUtils = await makeWorkerUtils({ connectionString: db.url, logger: silent });
  return {
    url: db.url,
    async start() {
      runner = await run({ connectionString: db.url, concurrency: CONCURRENCY, maxPoolSize: CONCURRENCY + 2, pollInterval: 1000, noHandleSignals: true, taskList: { [TASK]: async (payload) => handle(payload) }, parsedCronItems: [], logger: silent });
    },
    async stop() {
      await runner?.stop();
      runner = undefined;
    },
    enqueue: async (payload) => {
      await utils.addJob(TASK, payload, { maxAttempts: 25 });
    },
    async close() {
      await runner?.stop();
      await utils.release();
      await db.drop();
    },
  };
}

/**
 * Jobs per second draining a backlog of JOBS, added in bulk with the runner stopped, from the start
 * of the runner; and how long the start took until the first job ran (counted in the rate).
 */
async function throughput(arm: QueueArm): Promise<{ rate: number; firstJobMs: number }> {
  await arm.stop();
  const client = new pg.Client({ connectionString: arm.url });
  await client.connect();
  await client.query(`SELECT graphile_worker.add_job($1, json_build_object('n', g)) FROM generate_series(1, $2::int) g`, [TASK, JOBS]);
  await client.end();
  drained = 0;
  target = JOBS;
  const done = new Promise<void>((resolve) => (onDrain = resolve));
  firstStart = undefined;
  const t0 = performance.now();
  await arm.start();
  await done;
  return { rate: JOBS / ((performance.now() - t0) / 1000), firstJobMs: (firstStart ?? Number.NaN) - t0 };
}

/** Enqueue-to-start latencies (ms) for jobs added one at a time through the arm's own API. */
async function latency(arm: QueueArm): Promise<number[]> {
  started.clear();
  const enqueued = new Map<string, number>();
  for (let i = 0; i < LATENCY_JOBS; i += 1) {
    const id = `l${i}`;
    enqueued.set(id, performance.timeOrigin + performance.now());
    await arm.enqueue({ id });
    await new Promise((r) => setTimeout(r, LATENCY_GAP_MS));
  }
  for (let i = 0; i < 100 && started.size < LATENCY_JOBS; i += 1) await new Promise((r) => setTimeout(r, 50));
  return [...enqueued].map(([id, t]) => (started.get(id) ?? Number.NaN) - t).sort((a, b) => a - b);
}

const signedMs = (ms: number): string => `${ms < 0 ? '−' : '+'}${Math.abs(ms).toFixed(0)} ms`;

const pctl = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

export async function queueRows(pgServer: BenchPostgres): Promise<ResultRow[]> {
  const arms: Record<'berth' | 'raw', QueueArm> = { berth: await berthArm(pgServer), raw: await rawArm(pgServer) };
  try {
    const rate: Record<'berth' | 'raw', number[]> = { berth: [], raw: [] };
    const p50: Record<'berth' | 'raw', number[]> = { berth: [], raw: [] };
    const p99: Record<'berth' | 'raw', number[]> = { berth: [], raw: [] };
    const firstJob: Record<'berth' | 'raw', number[]> = { berth: [], raw: [] };
    for (const name of ['raw', 'berth'] as const) await throughput(arms[name]); // warm-up
    for (let round = 0; round < 3; round += 1) {
      const order = round % 2 ? (['berth', 'raw'] as const) : (['raw', 'berth'] as const);
      for (const name of order) {
        const drain = await throughput(arms[name]);
        rate[name].push(drain.rate);
        firstJob[name].push(drain.firstJobMs);
        const l = await latency(arms[name]);
        p50[name].push(pctl(l, 50));
        p99[name].push(pctl(l, 99));
      }
    }
    const b = median(rate.berth);
    const r = median(rate.raw);
    const lat = (n: 'berth' | 'raw') => `p50 ${median(p50[n]).toFixed(1)} ms, p99 ${median(p99[n]).toFixed(1)} ms`;
    return [
      { row: '8 Queue', metric: `Throughput, ${JOBS} no-op jobs, concurrency ${CONCURRENCY}`, measured: `${num(b)} jobs/s vs raw graphile-worker ${num(r)} jobs/s`, value: pct(b / r), goal: '≥ 80% of raw', verdict: verdict(b / r >= 0.8), data: { rate, p50, p99, firstJob } },
      { row: '8 Queue', metric: 'Start to first job, in the throughput runs above (part of their time)', measured: `Berth ${median(firstJob.berth).toFixed(0)} ms vs raw ${median(firstJob.raw).toFixed(0)} ms`, value: signedMs(median(firstJob.berth) - median(firstJob.raw)), goal: 'reported', verdict: 'INFO', note: 'Both start one graphile-worker pool of eight; Berth first opens its lease connection and each worker takes its lock there before its first claim (src/modules/work-queue/worker-leases.ts).' },
      { row: '8 Queue', metric: `Enqueue-to-start latency (${LATENCY_JOBS} jobs, one per ${LATENCY_GAP_MS} ms)`, measured: `Berth ${lat('berth')} vs raw ${lat('raw')}`, value: `${(median(p50.berth) - median(p50.raw)).toFixed(1)} ms p50 delta`, goal: 'reported', verdict: 'INFO', note: "Berth enqueues through Prisma in a transaction (BEGIN, add_job, COMMIT); raw uses WorkerUtils.addJob. Both wake workers by LISTEN/NOTIFY." },
    ];
  } finally {
    await arms.berth.close();
    await arms.raw.close();
  }
}
