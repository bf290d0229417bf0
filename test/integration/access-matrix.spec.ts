// Walks every route of the API (from the OpenAPI document, i.e. the route table) as every kind of
// caller, and checks the answer against the route's declared access rule. A route without an entry
// below fails the test, so new endpoints cannot ship without an authorization decision.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { newApp, newMember, newTeam, newUser, type TestApp_, type TestTeam, type TestUser } from '../support/factories.js';
import { expectStatus, type HttpClient } from '../support/http.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

type Role = 'anonymous' | 'outsider' | 'viewer' | 'developer' | 'admin' | 'owner' | 'platform';
const ROLES: Role[] = ['anonymous', 'outsider', 'viewer', 'developer', 'admin', 'owner', 'platform'];
const TEAM_ORDER = ['viewer', 'developer', 'admin', 'owner'];

interface Fixture {
  team: TestTeam;
  app: TestApp_;
  users: Record<Exclude<Role, 'anonymous' | 'platform'>, TestUser>;
  caller: { role: Role; id: string | undefined; tokenId: string | undefined };
  unique: string;
}

interface Call {
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
}

interface Entry {
  call: (fx: Fixture) => Call | Promise<Call>;
  /** Destructive calls get a fresh fixture per role. */
  fresh?: boolean;
  /** Overrides the expectation derived from the declared rule. */
  expect?: Partial<Record<Role, 'allowed' | 401 | 403 | 404>>;
}

const uniq = () => Math.random().toString(36).slice(2, 8);

export const MATRIX: Record<string, Entry> = {
  'GET /healthz': { call: () => ({ path: '/healthz' }) },
  'GET /readyz': { call: () => ({ path: '/readyz' }) },
  // Public to API tokens; BERTH_METRICS_TOKEN (unset here) guards it when set (metrics.spec.ts).
  'GET /metrics': { call: () => ({ path: '/metrics' }) },
  'GET /v1/sizes': { call: () => ({ path: '/v1/sizes' }) },
  'POST /v1/users': { call: (fx) => ({ path: '/v1/users', body: { email: `m-${fx.unique}@example.com`, name: 'M' } }) },
  'GET /v1/users': { call: () => ({ path: '/v1/users' }) },
  'GET /v1/users/me': { call: () => ({ path: '/v1/users/me' }) },
  'POST /v1/tokens': { call: () => ({ path: '/v1/tokens', body: { description: 'matrix' } }) },
  'GET /v1/tokens': { call: () => ({ path: '/v1/tokens' }) },
  'GET /v1/tokens/{token}': { call: (fx) => ({ path: `/v1/tokens/${fx.caller.tokenId ?? '00000000-0000-7000-8000-000000000000'}` }) },
  'DELETE /v1/tokens/{token}': { fresh: true, call: (fx) => ({ path: `/v1/tokens/${fx.caller.tokenId ?? '00000000-0000-7000-8000-000000000000'}` }) },
  'POST /v1/teams': { call: (fx) => ({ path: '/v1/teams', body: { name: `mt-${fx.unique}` } }) },
  'GET /v1/teams': { call: () => ({ path: '/v1/teams' }) },
  'GET /v1/teams/{team}': { call: (fx) => ({ path: `/v1/teams/${fx.team.name}` }) },
  'PATCH /v1/teams/{team}': { call: (fx) => ({ path: `/v1/teams/${fx.team.name}`, body: { display_name: 'Renamed' } }) },
  'DELETE /v1/teams/{team}': { fresh: true, call: async (fx) => {
    // A team with apps cannot be deleted; the fixture's app goes first.
    expectStatus(await fx.team.owner.client.delete(`/v1/apps/${fx.app.name}`), 204);
    return { path: `/v1/teams/${fx.team.name}` };
  } },
  'GET /v1/teams/{team}/members': { call: (fx) => ({ path: `/v1/teams/${fx.team.name}/members` }) },
  'POST /v1/teams/{team}/members': { call: async (fx) => ({ path: `/v1/teams/${fx.team.name}/members`, body: { email: (await freshUserEmail(fx)), role: 'viewer' } }) },
  'PATCH /v1/teams/{team}/members/{user}': { fresh: true, call: (fx) => ({ path: `/v1/teams/${fx.team.name}/members/${fx.users.viewer.id}`, body: { role: 'developer' } }) },
  // Leaving a team is open to every member; removing someone else needs an admin (tested in teams.spec).
  'DELETE /v1/teams/{team}/members/{user}': { fresh: true, call: (fx) => ({ path: `/v1/teams/${fx.team.name}/members/${fx.caller.role === 'owner' ? fx.users.viewer.id : (fx.caller.id ?? fx.users.viewer.id)}` }),
    expect: { outsider: 404 } },
  'GET /v1/teams/{team}/invitations': { call: (fx) => ({ path: `/v1/teams/${fx.team.name}/invitations` }) },
  'DELETE /v1/teams/{team}/invitations/{invitation}': { call: async (fx) => {
    const invitation = expectStatus(await fx.team.owner.client.post<{ id: string }>(`/v1/teams/${fx.team.name}/members`, { email: `inv-${uniq()}@example.com`, role: 'viewer' }), 201).body;
    return { path: `/v1/teams/${fx.team.name}/invitations/${invitation.id}` };
  } },
  'GET /v1/invitations': { call: () => ({ path: '/v1/invitations' }) },
  'POST /v1/invitations/{invitation}/accept': { call: async (fx) => ({ path: `/v1/invitations/${await invitationForCaller(fx)}/accept` }) },
  'DELETE /v1/invitations/{invitation}': { call: async (fx) => ({ path: `/v1/invitations/${await invitationForCaller(fx)}` }) },
  'GET /v1/teams/{team}/quota': { call: (fx) => ({ path: `/v1/teams/${fx.team.name}/quota` }) },
  'PUT /v1/teams/{team}/quota': { call: (fx) => ({ path: `/v1/teams/${fx.team.name}/quota`, body: { apps: 20 }, headers: { 'if-match': '*' } }),
    expect: { platform: 'allowed' } },
  'POST /v1/teams/{team}/quota/recompute': { call: (fx) => ({ path: `/v1/teams/${fx.team.name}/quota/recompute` }) },
  'POST /v1/apps': { call: (fx) => ({ path: '/v1/apps', body: { name: `ma-${fx.unique}`, team: fx.team.name } }) },
  'GET /v1/apps': { call: () => ({ path: '/v1/apps' }) },
  'GET /v1/apps/{app}': { call: (fx) => ({ path: `/v1/apps/${fx.app.name}` }) },
  'PATCH /v1/apps/{app}': { call: (fx) => ({ path: `/v1/apps/${fx.app.name}`, body: { description: 'd' } }) },
  'DELETE /v1/apps/{app}': { fresh: true, call: (fx) => ({ path: `/v1/apps/${fx.app.name}` }) },
  'POST /v1/apps/{app}/environments': { call: (fx) => ({ path: `/v1/apps/${fx.app.name}/environments`, body: { name: `me-${fx.unique}-${uniq()}` } }) },
  'GET /v1/apps/{app}/environments': { call: (fx) => ({ path: `/v1/apps/${fx.app.name}/environments` }) },
  'GET /v1/apps/{app}/environments/{env}': { call: async (fx) => ({ path: await envPath(fx) }) },
  'PATCH /v1/apps/{app}/environments/{env}': { call: async (fx) => ({ path: await envPath(fx), body: { auto_rollback: true }, headers: { 'if-match': '*' } }) },
  'DELETE /v1/apps/{app}/environments/{env}': { fresh: true, call: async (fx) => ({ path: await envPath(fx) }) },
  'GET /v1/apps/{app}/environments/{env}/config-vars': { call: async (fx) => ({ path: `${await envPath(fx)}/config-vars` }) },
  'PATCH /v1/apps/{app}/environments/{env}/config-vars': { call: async (fx) => ({ path: `${await envPath(fx)}/config-vars`, body: { set: { MATRIX: uniq() } } }) },
  'GET /v1/apps/{app}/environments/{env}/formation': { call: async (fx) => ({ path: `${await envPath(fx)}/formation` }) },
  'PATCH /v1/apps/{app}/environments/{env}/formation': { call: async (fx) => ({ path: `${await envPath(fx)}/formation`, body: { process_types: [{ type: 'web', replicas: 1 }] } }) },
  'DELETE /v1/apps/{app}/environments/{env}/formation/{type}': { fresh: true, call: async (fx) => ({ path: `${await envPath(fx)}/formation/web` }) },
  'POST /v1/apps/{app}/environments/{env}/releases': { call: async (fx) => ({ path: `${await envPath(fx)}/releases`, body: { image: 'nginx:1.27' } }) },
  'GET /v1/apps/{app}/environments/{env}/releases': { call: async (fx) => ({ path: `${await envPath(fx)}/releases` }) },
  'GET /v1/apps/{app}/environments/{env}/releases/{release}': { call: async (fx) => ({ path: `${await envPath(fx)}/releases/1` }) },
  'GET /v1/apps/{app}/environments/{env}/releases/{release}/events': { call: async (fx) => ({ path: `${await envPath(fx)}/releases/1/events?timeout_seconds=1` }) },
  'GET /v1/apps/{app}/environments/{env}/domains': { call: async (fx) => ({ path: `${await envPath(fx)}/domains` }) },
  'POST /v1/apps/{app}/environments/{env}/domains': { call: async (fx) => ({ path: `${await envPath(fx)}/domains`, body: { hostname: `m-${uniq()}${uniq()}.example.com` } }) },
  'GET /v1/apps/{app}/environments/{env}/domains/{hostname}': { call: async (fx) => ({ path: `${await envPath(fx)}/domains/${fx.unique}.matrix.example.com` }) },
  'DELETE /v1/apps/{app}/environments/{env}/domains/{hostname}': { fresh: true, call: async (fx) => ({ path: `${await envPath(fx)}/domains/${fx.unique}.matrix.example.com` }) },
  'POST /v1/apps/{app}/environments/{env}/restart': { call: async (fx) => ({ path: `${await envPath(fx)}/restart` }) },
  'GET /v1/apps/{app}/environments/{env}/drift': { call: async (fx) => ({ path: `${await envPath(fx)}/drift` }) },
  'GET /v1/apps/{app}/environments/{env}/logs': { call: async (fx) => ({ path: `${await envPath(fx)}/logs` }) },
  'POST /v1/clusters': { call: (fx) => ({ path: '/v1/clusters', body: { name: `mc-${fx.unique}`, server: 'http://127.0.0.1:9', token: 'matrix-token' } }) },
  'GET /v1/clusters': { call: () => ({ path: '/v1/clusters' }) },
  'GET /v1/clusters/{cluster}': { call: () => ({ path: '/v1/clusters/matrix-cluster' }), expect: { platform: 'allowed' } },
  'PATCH /v1/clusters/{cluster}': { call: () => ({ path: '/v1/clusters/matrix-cluster', body: { labels: { a: 'b' } } }) },
  'POST /v1/clusters/{cluster}/cordon': { call: () => ({ path: '/v1/clusters/matrix-cluster/cordon' }) },
  'POST /v1/clusters/{cluster}/uncordon': { call: () => ({ path: '/v1/clusters/matrix-cluster/uncordon' }) },
  'POST /v1/clusters/{cluster}/probe': { call: () => ({ path: '/v1/clusters/matrix-cluster/probe' }) },
  'POST /v1/clusters/{cluster}/drain': { call: () => ({ path: '/v1/clusters/matrix-cluster/drain' }) },
  'DELETE /v1/clusters/{cluster}': { call: () => ({ path: '/v1/clusters/no-such-cluster' }), expect: { platform: 404 } },
  'POST /v1/teams/{team}/registry-credentials': { call: (fx) => ({ path: `/v1/teams/${fx.team.name}/registry-credentials`, body: { registry: 'registry.example.com', username: 'u', password: 'p' } }) },
  'PUT /v1/teams/{team}/registry-credentials/{registry}': { call: (fx) => ({ path: `/v1/teams/${fx.team.name}/registry-credentials/ghcr.io`, body: { username: 'u', password: 'p' } }) },
  'GET /v1/teams/{team}/registry-credentials': { call: (fx) => ({ path: `/v1/teams/${fx.team.name}/registry-credentials` }) },
  'DELETE /v1/teams/{team}/registry-credentials/{registry}': { fresh: true, call: async (fx) => {
    expectStatus(await fx.team.owner.client.post(`/v1/teams/${fx.team.name}/registry-credentials`, { registry: 'registry.example.com', username: 'u', password: 'p' }), 201);
    return { path: `/v1/teams/${fx.team.name}/registry-credentials/registry.example.com` };
  } },
  'GET /v1/audit-events': { call: () => ({ path: '/v1/audit-events' }), expect: { outsider: 403, viewer: 403, developer: 403 } },
  'GET /v1/audit-events/export': { call: () => ({ path: '/v1/audit-events/export' }), expect: { outsider: 403, viewer: 403, developer: 403 } },
  'GET /v1/audit-events/verify': { call: () => ({ path: '/v1/audit-events/verify' }) },
  'GET /v1/audit-events/head': { call: () => ({ path: '/v1/audit-events/head' }) },
};


// One environment per fixture, deployed once, with one domain: made lazily by the team owner.
const envPaths = new WeakMap<Fixture, Promise<string>>();
function envPath(fx: Fixture): Promise<string> {
  let path = envPaths.get(fx);
  if (!path) {
    path = (async () => {
      const client = fx.team.owner.client;
      const base = `/v1/apps/${fx.app.name}/environments`;
      expectStatus(await client.post(base, { name: 'matrix' }), 201);
      expectStatus(await client.post(`${base}/matrix/releases`, { image: 'nginx:1.27' }), 201);
      expectStatus(await client.post(`${base}/matrix/domains`, { hostname: `${fx.unique}.matrix.example.com` }), 201);
      return `${base}/matrix`;
    })();
    envPaths.set(fx, path);
  }
  return path;
}

/** An invitation addressed to the caller, to a team of its own (accepting must not change the fixture's team). */
let inviter: Promise<TestUser> | undefined;
async function invitationForCaller(fx: Fixture): Promise<string> {
  const role = fx.caller.role;
  const email = role === 'anonymous' || role === 'platform' ? 'admin@berth.local' : fx.users[role].email;
  const owner = await (inviter ??= newUser(currentApp));
  const team = await newTeam(currentApp, { owner });
  return expectStatus(await owner.client.post<{ id: string }>(`/v1/teams/${team.name}/members`, { email, role: 'viewer' }), 201).body.id;
}

let extraUsers = 0;
let currentApp: TestApp;
async function freshUserEmail(_fx: Fixture): Promise<string> {
  extraUsers += 1;
  return (await newUser(currentApp)).email;
}

function expected(rule: string, role: Role): 'allowed' | 401 | 403 | 404 {
  if (rule === 'public') return 'allowed';
  if (role === 'anonymous') return 401;
  if (rule === 'authenticated' || role === 'platform') return 'allowed';
  if (rule === 'platform-admin') return 403;
  const needed = rule.replace('team:', '');
  if (role === 'outsider') return 404;
  return TEAM_ORDER.indexOf(role) >= TEAM_ORDER.indexOf(needed) ? 'allowed' : 403;
}

describe('role × endpoint access matrix', () => {
  let app: TestApp;
  let routes: Array<{ key: string; method: string; rule: string; audit: string | undefined }>;

  beforeAll(async () => {
    // Every route is tried without a token: more failures from 127.0.0.1 than the default burst.
    app = await createTestApp({ env: { BERTH_AUTH_FAILURE_BURST: '100000' } });
    currentApp = app;
    // A cluster for the cluster routes to act on (unreachable is fine: the routes only record).
    expectStatus(await app.admin.post('/v1/clusters', { name: 'matrix-cluster', server: 'http://127.0.0.1:9', token: 'matrix-token' }), 201);
    const doc = expectStatus(await app.anonymous.get<{ paths: Record<string, Record<string, Record<string, unknown>>> }>('/openapi.json'), 200).body;
    routes = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops).map(([method, op]) => ({ key: `${method.toUpperCase()} ${path}`, method: method.toUpperCase(), rule: String(op['x-berth-access']), audit: op['x-berth-audit'] as string | undefined })),
    );
  });
  afterAll(async () => {
    await app.close();
  });

  async function fixture(role: Role): Promise<Fixture> {
    const team = await newTeam(app);
    const created = await newApp(app, { team });
    const users = {
      outsider: await newUser(app),
      viewer: await newMember(app, team, 'viewer'),
      developer: await newMember(app, team, 'developer'),
      admin: await newMember(app, team, 'admin'),
      owner: team.owner,
    };
    const caller = role === 'anonymous' ? undefined : role === 'platform' ? undefined : users[role];
    let tokenId: string | undefined;
    const minter = caller?.client ?? (role === 'platform' ? app.admin : undefined);
    if (minter) tokenId = expectStatus(await minter.post<{ id: string }>('/v1/tokens', {}), 201).body.id;
    return { team, app: created, users, caller: { role, id: caller?.id, tokenId }, unique: uniq() };
  }

  function clientFor(fx: Fixture, role: Role): HttpClient {
    if (role === 'anonymous') return app.anonymous;
    if (role === 'platform') return app.admin;
    return fx.users[role].client;
  }

  it('has an entry for every route, and every route declares an access rule', () => {
    const missing = routes.filter((r) => !MATRIX[r.key]).map((r) => r.key);
    expect(missing).toEqual([]);
    const stale = Object.keys(MATRIX).filter((k) => !routes.some((r) => r.key === k));
    expect(stale).toEqual([]);
    expect(routes.filter((r) => r.rule === 'undefined').map((r) => r.key)).toEqual([]);
  });

  it('audits every mutating route', () => {
    expect(routes.filter((r) => r.method !== 'GET' && !r.audit).map((r) => r.key)).toEqual([]);
  });

  // One test per route (in MATRIX order), so a slow machine times out no single test and a failure
  // names its route. Shared fixtures are reset after a route that needs fresh ones, as before.
  let shared: Record<string, Fixture> = {};
  it.each(Object.keys(MATRIX))('answers %s for each role as it declares: 401 without a token, 404 outside the team, 403 below the role', async (key) => {
    const route = routes.find((r) => r.key === key);
    expect(route).toBeDefined();
    const entry = MATRIX[key]!;
    const failures: string[] = [];
    for (const role of ROLES) {
      const fx = entry.fresh ? await fixture(role) : (shared[role] ??= await fixture(role));
      const call = await entry.call(fx);
      const res = await clientFor(fx, role).request(route!.method, call.path, { body: call.body, headers: call.headers });
      const want = entry.expect?.[role] ?? expected(route!.rule, role);
      // 503 means access was granted and a dependency (an unreachable cluster) answered instead.
      const ok = want === 'allowed' ? ![401, 403, 404].includes(res.status) && (res.status < 500 || res.status === 503) : res.status === want;
      if (!ok) failures.push(`${key} as ${role}: expected ${want}, got ${res.status} ${res.text.slice(0, 160)}`);
    }
    if (entry.fresh) shared = {};
    expect(failures).toEqual([]);
  });

  it('made users beyond the fixtures (the matrix exercised user creation)', () => {
    expect(extraUsers).toBeGreaterThan(0);
  });
});
