// `npm run bench:profile`: CPU profiles of the request hot path (rows 1–3) under the bench's load.
// Berth runs in this process exactly as in rows 1–3 (createServer, pool 10, workers off) while
// autocannon loads it from a worker thread; the V8 profiler (node:inspector) samples this thread only
// while one arm is under load, so the profile holds the server's work and nothing of the load
// generator. Writes bench/results/profiles/<arm>.cpuprofile (open in Chrome DevTools or speedscope)
// and prints the top self-time functions and the self time per package. docs/performance.md.
//
//   BENCH_PROFILE_ARMS=apps,sizes,graphql,limited,bare-apps,bare-sizes  (default: apps,sizes)
//   BENCH_DURATION=5  seconds of load per arm (after a 2 s warm-up)
import './lib/production-env.js';
import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { startBare } from './lib/bare.js';
import { seedApp, startBerth } from './lib/berth.js';
import { DURATION_S, load, type LoadSpec } from './lib/load.js';
import { repoRoot, startBenchPostgres } from './lib/postgres.js';
import { summarizeProfile, type CpuProfile } from './lib/profile-summary.js';

const POOL_SIZE = 10;
const arms = (process.env.BENCH_PROFILE_ARMS ?? 'apps,sizes').split(',').filter(Boolean);
const outDir = join(repoRoot(), 'bench/results/profiles');
mkdirSync(outDir, { recursive: true });

const pg = await startBenchPostgres();
const db = await pg.createDatabase('profile');
const common = { DATABASE_POOL_SIZE: String(POOL_SIZE), BERTH_WORKERS_ENABLED: 'false' };
const berth = await startBerth(db.url, { ...common, BERTH_RATE_LIMIT_ENABLED: 'false' });
const limited = await startBerth(db.url, { ...common, BERTH_RATE_LIMIT_ENABLED: 'true', BERTH_RATE_LIMIT_PER_HOUR: '10000000', BERTH_RATE_LIMIT_BURST: '10000000' });
const bare = await startBare(db.url, POOL_SIZE);
const session = new Session();
session.connect();
try {
  const seeded = await seedApp(berth.api, 'profiled');
  const auth = { authorization: `Bearer ${seeded.token}` };
  const gql = JSON.stringify({ query: 'query($app: String!) { app(app: $app) { uuid name description state version createdAt updatedAt team { id name } } }', variables: { app: seeded.app } });
  const specs: Record<string, LoadSpec> = {
    apps: { url: `${berth.url}/v1/apps/${seeded.app}`, headers: auth },
    sizes: { url: `${berth.url}/v1/sizes`, headers: auth },
    graphql: { url: `${berth.url}/graphql`, method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: gql },
    limited: { url: `${limited.url}/v1/apps/${seeded.app}`, headers: auth },
    'bare-apps': { url: `${bare.url}/v1/apps/${seeded.app}`, headers: auth },
    'bare-sizes': { url: `${bare.url}/v1/sizes`, headers: auth },
  };
  await session.post('Profiler.enable');
  // Sample every 100 µs (V8's default is 1 ms): enough samples in a few seconds for small functions.
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
  for (const arm of arms) {
    const spec = specs[arm];
    if (!spec) throw new Error(`unknown arm ${arm}; one of ${Object.keys(specs).join(', ')}`);
    await load({ ...spec, durationS: 2 });
    await session.post('Profiler.start');
    const result = await load(spec);
    const { profile } = (await session.post('Profiler.stop')) as { profile: CpuProfile };
    const file = join(outDir, `${arm}.cpuprofile`);
    writeFileSync(file, JSON.stringify(profile));
    const summary = summarizeProfile(profile, 25);
    console.log(`\n## ${arm}: ${Math.round(result.rps)} rps, p50 ${result.p50} ms over ${DURATION_S} s (${result.non2xx} non-2xx) — ${file}`);
    console.log(`busy ${summary.busyPct.toFixed(1)}% of the main thread (idle ${summary.idlePct.toFixed(1)}%, GC ${summary.gcPct.toFixed(1)}%)`);
    console.log('\nSelf time by package (% of busy samples):');
    for (const p of summary.byPackage.slice(0, 15)) console.log(`  ${p.pct.toFixed(1).padStart(5)}%  ${p.name}`);
    console.log('\nTop functions by self time (% of busy samples):');
    for (const f of summary.byFunction) console.log(`  ${f.pct.toFixed(1).padStart(5)}%  ${f.name}  ${f.where}`);
    console.log('\nInclusive time of marker functions (% of busy samples):');
    for (const f of summary.inclusive) console.log(`  ${f.pct.toFixed(1).padStart(5)}%  ${f.name}`);
  }
} finally {
  session.disconnect();
  await bare.close();
  await limited.close();
  await berth.close();
  await db.drop();
  await pg.stop();
}
process.exit(0);
