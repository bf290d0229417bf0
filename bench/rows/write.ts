// Row 4: creating a release with audit and quota checks vs the same Berth built with both
// substituted by no-ops (bench/lib/without-trust.ts; product code has no switch for it). Rate limits off in both arms; workers off so the
// reconciles the releases enqueue do not compete for the CPU (the enqueue itself is measured).
import { newToken, seedApp, startBerth, type Api } from '../lib/berth.js';
import { withoutTrust } from '../lib/without-trust.js';
import { interleaved, type LoadSpec } from '../lib/load.js';
import type { BenchPostgres } from '../lib/postgres.js';
import { num, pct, verdict, type ResultRow } from '../lib/report.js';

const ENVIRONMENTS = 10;
const CONNECTIONS = 20;

async function arm(api: Api, name: string): Promise<LoadSpec> {
  const seeded = await seedApp(api, name);
  const owner = api.as(seeded.token);
  const paths: string[] = [];
  for (let i = 0; i < ENVIRONMENTS; i += 1) {
    await owner.call('POST', `/v1/apps/${seeded.app}/environments`, { name: `e${i}` });
    paths.push(`/v1/apps/${seeded.app}/environments/e${i}/releases`);
  }
  const body = JSON.stringify({ image: 'registry.example.com/bench/web:1.0.0' });
  const headers = { authorization: `Bearer ${seeded.token}`, 'content-type': 'application/json' };
  // Each connection cycles through the environments, so releases spread over ten environment rows.
  return { url: api.url, method: 'POST', headers, connections: CONNECTIONS, requests: paths.map((path) => ({ method: 'POST', path, body, headers })) };
}

export async function writeRows(pg: BenchPostgres): Promise<ResultRow[]> {
  const db = await pg.createDatabase('write');
  const common = { BERTH_RATE_LIMIT_ENABLED: 'false', BERTH_WORKERS_ENABLED: 'false' };
  const trusted = await startBerth(db.url, common);
  const untrusted = await startBerth(db.url, common, newToken(), { createApp: withoutTrust });
  try {
    const r = await interleaved({ full: await arm(trusted.api, 'writer-full'), off: await arm(untrusted.api, 'writer-off') });
    const full = r.full!;
    const off = r.off!;
    const ratio = full.rps / off.rps;
    const errors = full.non2xx + full.errors + off.non2xx + off.errors;
    return [
      {
        row: '4 Write path',
        metric: `POST …/releases rps, audit + quotas vs both substituted by no-ops (${CONNECTIONS} conns, ${ENVIRONMENTS} envs)`,
        measured: `${num(full.rps)} rps (p50 ${full.p50} ms) vs ${num(off.rps)} rps (p50 ${off.p50} ms)`,
        value: pct(ratio),
        goal: '≥ 60%',
        verdict: verdict(ratio >= 0.6 && errors === 0),
        data: { full, off },
        note: `Release creation itself only reads the releases_retained quota (no usage check), so the difference is mostly the audit event (hash-chained: one head row serialises audit writes).${errors ? ` ${errors} non-2xx/errors.` : ''}`,
      },
    ];
  } finally {
    await untrusted.close();
    await trusted.close();
    await db.drop();
  }
}
