// Rows 1–3: REST read vs bare Fastify + pg, the framework tax on a route without data, and GraphQL
// vs REST for the same app — all on one database, arms interleaved.
import { startBare } from '../lib/bare.js';
import { seedApp, startBerth } from '../lib/berth.js';
import { interleaved, type LoadResult } from '../lib/load.js';
import type { BenchPostgres } from '../lib/postgres.js';
import { num, pct, times, verdict, type ResultRow } from '../lib/report.js';

const POOL_SIZE = 10;
const shape = (r: LoadResult): string => `${num(r.rps)} rps, p50 ${r.p50} ms`;

export async function httpReadRows(pg: BenchPostgres): Promise<ResultRow[]> {
  const db = await pg.createDatabase('read');
  const common = { DATABASE_POOL_SIZE: String(POOL_SIZE), BERTH_WORKERS_ENABLED: 'false' };
  const berth = await startBerth(db.url, { ...common, BERTH_RATE_LIMIT_ENABLED: 'false' });
  // Limits high enough that no request is refused: the row measures what limiting costs, not 429s.
  const limited = await startBerth(db.url, { ...common, BERTH_RATE_LIMIT_ENABLED: 'true', BERTH_RATE_LIMIT_PER_HOUR: '10000000', BERTH_RATE_LIMIT_BURST: '10000000' });
  const bare = await startBare(db.url, POOL_SIZE);
  try {
    const seeded = await seedApp(berth.api, 'reader');
    const auth = { authorization: `Bearer ${seeded.token}` };
    const gql = JSON.stringify({ query: 'query($app: String!) { app(app: $app) { uuid name description state version createdAt updatedAt team { id name } } }', variables: { app: seeded.app } });
    const r = await interleaved({
      bare: { url: `${bare.url}/v1/apps/${seeded.app}`, headers: auth },
      bareCached: { url: `${bare.url}/cached/v1/apps/${seeded.app}`, headers: auth },
      berth: { url: `${berth.url}/v1/apps/${seeded.app}`, headers: auth },
      berthLimited: { url: `${limited.url}/v1/apps/${seeded.app}`, headers: auth },
      graphql: { url: `${berth.url}/graphql`, method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: gql },
      bareSizes: { url: `${bare.url}/v1/sizes`, headers: auth },
      bareNoDb: { url: `${bare.url}/nodb/sizes` },
      berthSizes: { url: `${berth.url}/v1/sizes`, headers: auth },
    });
    const errors = Object.entries(r).filter(([, v]) => v.non2xx || v.errors).map(([k, v]) => `${k}: ${v.non2xx} non-2xx, ${v.errors} errors`);
    const errNote = errors.length ? ` Errors: ${errors.join('; ')}.` : '';
    const data = Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v]));
    const [b, base, lim, gq, bs, bn, bz, bc] = [r.berth!, r.bare!, r.berthLimited!, r.graphql!, r.bareSizes!, r.bareNoDb!, r.berthSizes!, r.bareCached!];
    const rpsRatio = b.rps / base.rps;
    const p50Ratio = b.p50 / Math.max(base.p50, 1);
    const limRatio = lim.rps / base.rps;
    return [
      { row: '1 REST read', metric: 'GET /v1/apps/{app} rps, rate limit off (50 conns)', measured: `${shape(b)} vs bare ${shape(base)}`, value: pct(rpsRatio), goal: '≥ 50% of bare', verdict: verdict(rpsRatio >= 0.5), data, note: `Bare sends two statements (token + memberships, app + team) through a pool of ${POOL_SIZE}; Berth sends the app statement only once its authentication cache holds the token (docs/security.md).${errNote}` },
      { row: '1 REST read', metric: 'GET /v1/apps/{app} rps vs bare sending the same statements as Berth (token kept in memory, app + team only)', measured: `${shape(b)} vs bare ${shape(bc)}`, value: pct(b.rps / bc.rps), goal: '≥ 50% of bare', verdict: verdict(b.rps / bc.rps >= 0.5), note: 'The like-for-like framework comparison now that Berth caches authentication: the bare arm remembers the token without any invalidation.' },
      { row: '1 REST read', metric: 'GET /v1/apps/{app} p50 latency, rate limit off', measured: `${b.p50} ms vs bare ${base.p50} ms`, value: times(p50Ratio), goal: '≤ 1.5× bare', verdict: verdict(p50Ratio <= 1.5) },
      { row: '1 REST read', metric: 'GET /v1/apps/{app} rps, rate limit ON', measured: `${shape(lim)} vs bare ${shape(base)}`, value: pct(limRatio), goal: '≥ 50% of bare', verdict: verdict(limRatio >= 0.5), note: 'The limiter adds one INSERT … ON CONFLICT per request (Berth: 2 statements with a cached token; bare: 2, without a limiter).' },
      { row: '1 REST read', metric: 'GET /v1/apps/{app} p50 latency, rate limit ON', measured: `${lim.p50} ms vs bare ${base.p50} ms`, value: times(lim.p50 / Math.max(base.p50, 1)), goal: '≤ 1.5× bare', verdict: verdict(lim.p50 / Math.max(base.p50, 1) <= 1.5) },
      { row: '2 Framework tax', metric: 'GET /v1/sizes rps vs bare Fastify doing the same token lookup', measured: `${shape(bz)} vs bare ${shape(bs)}`, value: pct(bz.rps / bs.rps), goal: '≥ 65% of bare', verdict: verdict(bz.rps / bs.rps >= 0.65), note: 'Bare looks the token up on every request; Berth answers from its authentication cache (no statement) once the token is cached.' },
      { row: '2 Framework tax', metric: 'GET /v1/sizes rps vs bare Fastify with no database at all', measured: `${shape(bz)} vs bare ${shape(bn)}`, value: pct(bz.rps / bn.rps), goal: '≥ 65% of bare', verdict: verdict(bz.rps / bn.rps >= 0.65), note: 'With the authentication cache neither arm does I/O per request: this is the framework tax itself.' },
      { row: '3 GraphQL', metric: 'query { app } via /graphql vs GET /v1/apps/{app}', measured: `${shape(gq)} vs REST ${shape(b)}`, value: pct(gq.rps / b.rps), goal: '≥ 60% of REST', verdict: verdict(gq.rps / b.rps >= 0.6) },
    ];
  } finally {
    await bare.close();
    await limited.close();
    await berth.close();
    await db.drop();
  }
}
