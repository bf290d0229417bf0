// The README tour, written as a portal developer would write it against a client generated from
// docs/openapi.json (openapi-typescript + openapi-fetch): no casts, no workarounds. It must
// type-check, and run against a live Berth (test/client/readme-tour.spec.ts does both).
//   node dist/src/tour.js <base-url> <token>
import createClient from 'openapi-fetch';
import type { components, paths } from '../generated/berth.js';

type Problem = components['schemas']['Problem'];

export interface TourResult {
  release: number;
  replicas: number;
  environments: string[];
  notFound: Problem;
  staleWrite: Problem;
}

function fail(step: string, problem: Problem | undefined): never {
  throw new Error(`${step}: ${problem ? `${problem.status} ${problem.code}: ${problem.detail}` : 'no answer'}`);
}

export async function tour(baseUrl: string, token: string): Promise<TourResult> {
  const berth = createClient<paths>({ baseUrl, headers: { Authorization: `Bearer ${token}` } });
  const suffix = Math.random().toString(36).slice(2, 8);

  // A team and an app in it.
  const team = await berth.POST('/v1/teams', { body: { name: `tour-${suffix}`, display_name: 'Tour' } });
  if (!team.data) fail('create team', team.error);
  const app = await berth.POST('/v1/apps', { body: { name: `shop-${suffix}`, team: team.data.name }, params: { header: { 'Idempotency-Key': `app-${suffix}` } } });
  if (!app.data) fail('create app', app.error);
  const path = { app: app.data.name };

  // Two environments; `production` and `auto_rollback` have defaults and may be left out.
  const staging = await berth.POST('/v1/apps/{app}/environments', { params: { path }, body: { name: 'staging' } });
  if (!staging.data) fail('create staging', staging.error);
  const production = await berth.POST('/v1/apps/{app}/environments', { params: { path }, body: { name: 'production', production: true } });
  if (!production.data) fail('create production', production.error);
  const env = { app: app.data.name, env: staging.data.name };

  // Config vars, starting from the version we read (If-Match with the ETag).
  const read = await berth.GET('/v1/apps/{app}/environments/{env}', { params: { path: env } });
  if (!read.data) fail('read environment', read.error);
  const etag = read.response.headers.get('etag') ?? `"${read.data.version}"`;
  const vars = await berth.PATCH('/v1/apps/{app}/environments/{env}/config-vars', {
    params: { path: env, header: { 'If-Match': etag } },
    body: { set: { LOG_LEVEL: 'info', DATABASE_URL: 'postgres://db/shop' } },
  });
  if (!vars.data) fail('set config vars', vars.error);
  // The same If-Match again is stale now: a Problem, typed.
  const stale = await berth.PATCH('/v1/apps/{app}/environments/{env}/config-vars', { params: { path: env, header: { 'If-Match': etag } }, body: { unset: ['LOG_LEVEL'] } });
  if (!stale.error) throw new Error('a stale If-Match was accepted');

  // Deploy an image: a numbered release.
  const release = await berth.POST('/v1/apps/{app}/environments/{env}/releases', { params: { path: env }, body: { image: 'registry.example.com/shop/web:1.0.0', description: 'first' } });
  if (!release.data) fail('deploy', release.error);

  // Scale the web process.
  const formation = await berth.PATCH('/v1/apps/{app}/environments/{env}/formation', { params: { path: env }, body: { process_types: [{ type: 'web', replicas: 2, size: 'small' }] } });
  if (!formation.data) fail('scale', formation.error);
  const web = formation.data.process_types.find((p) => p.type === 'web');
  if (!web) throw new Error('no web process type after scaling');

  // A custom domain.
  const domain = await berth.POST('/v1/apps/{app}/environments/{env}/domains', { params: { path: env }, body: { hostname: `shop-${suffix}.example.com` } });
  if (!domain.data) fail('add domain', domain.error);

  // A token for CI, then revoke it (204: no body).
  const ci = await berth.POST('/v1/tokens', { body: { description: 'ci', expires_in: 3600 } });
  if (!ci.data) fail('create token', ci.error);
  const revoked = await berth.DELETE('/v1/tokens/{token}', { params: { path: { token: ci.data.id } } });
  if (revoked.error) fail('revoke token', revoked.error);

  // Every environment, one page at a time.
  const environments: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await berth.GET('/v1/apps/{app}/environments', { params: { path, query: { limit: 1, ...(cursor ? { cursor } : {}) } } });
    if (!page.data) fail('list environments', page.error);
    environments.push(...page.data.items.map((e) => e.name));
    cursor = page.data.next_cursor ?? undefined;
  } while (cursor);

  // Errors are problem documents.
  const missing = await berth.GET('/v1/apps/{app}', { params: { path: { app: `no-such-app-${suffix}` } } });
  if (!missing.error) throw new Error('a missing app was found');

  return { release: release.data.number, replicas: web.replicas, environments, notFound: missing.error, staleWrite: stale.error };
}

const [, script, baseUrl, token] = process.argv;
if (script?.endsWith('tour.js') && baseUrl && token) {
  tour(baseUrl, token).then(
    (result) => process.stdout.write(JSON.stringify(result) + '\n'),
    (error: unknown) => {
      process.stderr.write(`${String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
