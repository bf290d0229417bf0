// `npm run bench`: Berth against bare baselines, arms interleaved on one PostgreSQL server, median of
// three rounds. Prints a Markdown table and writes bench/results/latest.json. docs/performance.md.
import './lib/production-env.js';
import 'reflect-metadata';
import { cpus } from 'node:os';
import { startBenchPostgres } from './lib/postgres.js';
import { markdown, notMeasured, writeJson, type ResultRow } from './lib/report.js';
import { DURATION_S, ROUNDS } from './lib/load.js';
import { httpReadRows } from './rows/http-read.js';
import { writeRows } from './rows/write.js';
import { queueRows } from './rows/queue.js';
import { kubeRows } from './rows/kube.js';
import { fanoutRows } from './rows/fanout.js';
import { scaleRows } from './rows/scale.js';

type RowRunner = { name: string; goal: string; run: () => Promise<ResultRow[]> };

const only = (process.env.BENCH_ROWS ?? '').split(',').filter(Boolean);
const started = Date.now();
const pg = await startBenchPostgres();
const runners: RowRunner[] = [
  { name: '1-3', goal: 'see rows', run: () => httpReadRows(pg) },
  { name: '4', goal: '≥ 60%', run: () => writeRows(pg) },
  { name: '5', goal: '≤ N + 1 writes', run: () => kubeRows(pg) },
  { name: '6', goal: '≤ 1.5×; p99 ≤ 1 s', run: () => fanoutRows(pg) },
  { name: '7', goal: '≤ 60 s, ≤ 512 MiB', run: () => scaleRows(pg) },
  { name: '8', goal: '≥ 80% of raw', run: () => queueRows(pg) },
];
const rows: ResultRow[] = [];
try {
  for (const runner of runners) {
    if (only.length && !only.includes(runner.name)) continue;
    const t0 = Date.now();
    process.stderr.write(`bench: rows ${runner.name}…\n`);
    try {
      rows.push(...(await runner.run()));
    } catch (error) {
      process.stderr.write(`bench: rows ${runner.name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      rows.push(notMeasured(runner.name, 'whole row', runner.goal, `failed: ${error instanceof Error ? error.message : String(error)}`));
    }
    process.stderr.write(`bench: rows ${runner.name} took ${((Date.now() - t0) / 1000).toFixed(0)} s\n`);
  }
} finally {
  await pg.stop();
}
const meta = {
  date: new Date().toISOString(),
  node: process.version,
  cpus: cpus().length,
  cpuModel: cpus()[0]?.model ?? 'unknown',
  durationPerArmS: DURATION_S,
  rounds: ROUNDS,
  totalS: Math.round((Date.now() - started) / 1000),
  command: 'npm run bench',
};
console.log(`\n### Berth vs bare baselines (Node ${process.version}, ${meta.cpus} CPUs, ${DURATION_S} s per arm, median of ${ROUNDS} rounds)\n`);
console.log(markdown(rows));
const file = writeJson(rows, meta, only.length ? `partial-${only.join('_')}.json` : 'latest.json');
console.log(`\nJSON: ${file} — total ${meta.totalS} s`);
process.exit(0);
