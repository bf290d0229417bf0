// Property: every REST route (the route table is the served OpenAPI document, as in
// access-matrix.spec.ts), called with references to the caller's own teams, to another tenant's
// team and to nothing, answers about exactly the object referenced or 404, and changes nothing of
// any other team. Runs with a fixed seed and a random one (printed, to replay a failure).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import pg from 'pg';
import { toGlobalId } from '../../src/graphql/nodes/global-id.js';
import { sql } from '../support/database.js';
import { newApp, newMember, newTeam, newUser, type TestTeam, type TestUser } from '../support/factories.js';
import { expectStatus, type HttpClient, type HttpResponse } from '../support/http.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { gql } from './graphql-client.js';

type Tenant = 'X' | 'Y' | 'Z';
const MINE: Tenant[] = ['X', 'Y'];
const FIXED_SEED = 20261201;
const RANDOM_SEED = Number(process.env.BERTH_PROPERTY_SEED ?? Math.floor(Math.random() * 2 ** 31));
const RUNS = 6;

/** One value a parameter can take, and what it names. */
interface Candidate {
  text: string;
  /** The team the named object belongs to; null: names nothing. */
  owner: Tenant | null;
  /** Its id, to compare with the answer's `id`. */
  id?: string;
  /** Users: the teams they are members of. Tokens: 'self' when the caller's own. */
  memberOf?: Tenant[];
  self?: boolean;
}

interface World {
  teams: Record<Tenant, TestTeam & { app: { id: string; name: string }; env: { id: string; name: string }; hostname: string; registry: string; invitation: string }>;
  caller: TestUser;
  other: TestUser;
  onlyY: TestUser;
  callerTokenId: string;
  otherTokenId: string;
}

const rand = () => Math.random().toString(36).slice(2, 8);
const NO_UUID = '00000000-0000-7000-8000-0000000000ff';

function pools(w: World): Record<string, Candidate[]> {
  const each = <T>(f: (t: Tenant) => T[]) => (['X', 'Y', 'Z'] as Tenant[]).flatMap(f);
  return {
    team: [...each((t) => [{ text: w.teams[t].name, owner: t, id: w.teams[t].id }, { text: w.teams[t].id, owner: t, id: w.teams[t].id }]), { text: 'no-such-team', owner: null }, { text: NO_UUID, owner: null }],
    app: [...each((t) => [{ text: w.teams[t].app.name, owner: t, id: w.teams[t].app.id }, { text: w.teams[t].app.id, owner: t, id: w.teams[t].app.id }]), { text: 'no-such-app', owner: null }, { text: NO_UUID, owner: null }],
    env: [...each((t) => [{ text: w.teams[t].env.name, owner: t, id: w.teams[t].env.id }, { text: w.teams[t].env.id, owner: t, id: w.teams[t].env.id }]), { text: 'nowhere', owner: null }, { text: NO_UUID, owner: null }],
    hostname: [...each((t) => [{ text: w.teams[t].hostname, owner: t }]), { text: 'nothing.refs.example.com', owner: null }],
    registry: [...each((t) => [{ text: w.teams[t].registry, owner: t }]), { text: 'none.registry.example.com', owner: null }],
    // Releases and process types are named within their environment: every environment has these.
    release: [{ text: '1', owner: 'X' }, { text: '999', owner: null }],
    type: [{ text: 'web', owner: 'X' }, { text: 'worker', owner: null }],
    user: [
      { text: w.caller.id, owner: 'X', memberOf: ['X', 'Y'] },
      { text: w.caller.email, owner: 'X', memberOf: ['X', 'Y'] },
      { text: w.onlyY.id, owner: 'Y', memberOf: ['Y'] },
      { text: w.onlyY.email, owner: 'Y', memberOf: ['Y'] },
      { text: w.other.id, owner: 'Z', memberOf: ['Z'] },
      { text: 'nobody@example.com', owner: null, memberOf: [] },
    ],
    // Each team's pending invitation (addressed to someone else than the caller), and none.
    invitation: [...each((t) => [{ text: w.teams[t].invitation, owner: t, id: w.teams[t].invitation }]), { text: NO_UUID, owner: null }],
    token: [{ text: w.callerTokenId, owner: 'X', self: true, id: w.callerTokenId }, { text: w.otherTokenId, owner: 'Z', id: w.otherTokenId }, { text: NO_UUID, owner: null }],
  };
}

/** Bodies (and headers) that pass validation, so the answer depends on the references alone. */
function bodyFor(key: string, refs: Record<string, Candidate>): { body?: unknown; headers?: Record<string, string> } | undefined {
  switch (key) {
    case 'PATCH /v1/teams/{team}': return { body: { display_name: `p-${rand()}` } };
    case 'POST /v1/teams/{team}/members': return { body: { email: `nobody-${rand()}@example.com`, role: 'viewer' } };
    case 'PATCH /v1/teams/{team}/members/{user}': return { body: { role: 'viewer' } };
    case 'POST /v1/teams/{team}/quota/recompute': return {};
    case 'POST /v1/invitations/{invitation}/accept': return {};
    case 'POST /v1/apps': return { body: { name: `pa-${rand()}`, team: refs.team!.text } };
    case 'PATCH /v1/apps/{app}': return { body: { description: `d-${rand()}` } };
    case 'POST /v1/apps/{app}/environments': return { body: { name: `pe-${rand()}` } };
    case 'PATCH /v1/apps/{app}/environments/{env}': return { body: { auto_rollback: true }, headers: { 'if-match': '*' } };
    case 'PATCH /v1/apps/{app}/environments/{env}/config-vars': return { body: { set: { PROPERTY: rand() } } };
    case 'PATCH /v1/apps/{app}/environments/{env}/formation': return { body: { process_types: [{ type: 'web', replicas: 1 }] } };
    case 'POST /v1/apps/{app}/environments/{env}/releases': return { body: { image: 'nginx:1.27' } };
    case 'POST /v1/apps/{app}/environments/{env}/domains': return { body: { hostname: `p-${rand()}.refs.example.com` } };
    case 'POST /v1/apps/{app}/environments/{env}/restart': return {};
    case 'POST /v1/teams/{team}/registry-credentials': return { body: { registry: `p-${rand()}.registry.example.com`, username: 'u', password: 'p' } };
    // The registry segment of PUT is the key being written, not a reference: a fresh one each time.
    case 'PUT /v1/teams/{team}/registry-credentials/{registry}': return { body: { username: 'u', password: 'p' } };
    default: return key.startsWith('GET ') || key.startsWith('DELETE ') ? {} : undefined;
  }
}

/** What the call should find: the tenant whose object it concerns, or null for 404. */
function expectedTenant(refs: Record<string, Candidate>): Tenant | 'self' | null {
  if (refs.token) return refs.token.self ? 'self' : null;
  // The invitee's own routes: none of the pool's invitations is addressed to the caller.
  if (refs.invitation && !refs.team) return refs.invitation.self ? 'self' : null;
  const scope = refs.team?.owner ?? refs.app?.owner ?? null;
  if (!scope || !MINE.includes(scope)) return null;
  for (const [name, c] of Object.entries(refs)) {
    if (name === 'team' || name === 'app') {
      if (c.owner !== scope) return null;
    } else if (name === 'user') {
      if (!c.memberOf?.includes(scope)) return null;
    } else if (name === 'release' || name === 'type') {
      if (c.owner === null) return null;
    } else if (c.owner !== scope) {
      return null;
    }
  }
  return scope;
}

/**
 * One connection per database for the digests, taken twice per check: a new connection each time
 * cost more than the checks themselves where starting a PostgreSQL backend is slow (~50 ms in a
 * gVisor sandbox), and pushed the property past its time limit.
 */
const digestPools = new Map<string, pg.Pool>();
afterAll(async () => {
  await Promise.all([...digestPools.values()].map((pool) => pool.end()));
});

/** A digest per team of everything it owns that only requests change (no reconciler-owned columns). */
async function digests(url: string): Promise<Record<string, string>> {
  let pool = digestPools.get(url);
  if (!pool) {
    digestPools.set(url, (pool = new pg.Pool({ connectionString: url, max: 1 })));
    // Dropping the test's database (app.close) ends the idle connection: nothing to report.
    pool.on('error', () => undefined);
  }
  const { rows } = await pool.query<{ id: string; d: string }>(
    `SELECT t.id, md5(concat_ws('|', t.display_name, t.version,
       (SELECT string_agg(concat_ws(',', id, name, description, version, state), ';' ORDER BY id) FROM apps WHERE team_id = t.id),
       (SELECT string_agg(concat_ws(',', id, name, version, state, config_ciphertext), ';' ORDER BY id) FROM environments WHERE team_id = t.id),
       (SELECT string_agg(concat_ws(',', id, number, image), ';' ORDER BY id) FROM releases WHERE team_id = t.id),
       (SELECT string_agg(concat_ws(',', id, hostname), ';' ORDER BY id) FROM domains WHERE team_id = t.id),
       (SELECT string_agg(concat_ws(',', registry, username, password_ciphertext), ';' ORDER BY registry) FROM registry_credentials WHERE team_id = t.id),
       (SELECT string_agg(concat_ws(',', user_id, role, version), ';' ORDER BY user_id) FROM memberships WHERE team_id = t.id),
       (SELECT string_agg(concat_ws(',', id, type, replicas, size, version), ';' ORDER BY id) FROM process_types WHERE team_id = t.id),
       (SELECT string_agg(concat_ws(',', id, email, role, expires_at), ';' ORDER BY id) FROM invitations WHERE team_id = t.id)
     )) AS d FROM teams t`,
  );
  return Object.fromEntries(rows.map((r) => [r.id, r.d]));
}

describe('references across the whole REST route table (property)', () => {
  let app: TestApp;
  let world: World;
  let routes: Array<{ key: string; method: string; path: string; rule: string; params: string[] }>;

  beforeAll(async () => {
    app = await createTestApp({ env: { BERTH_RATE_LIMIT_PER_HOUR: '10000000', BERTH_DEPLOY_RATE_LIMIT_PER_HOUR: '10000000' } });
    const caller = await newUser(app);
    const teams = {} as World['teams'];
    let other: TestUser | undefined;
    let onlyY: TestUser | undefined;
    for (const t of ['X', 'Y', 'Z'] as Tenant[]) {
      const team = await newTeam(app, t === 'Z' ? {} : { owner: caller });
      if (t === 'Z') other = team.owner;
      if (t === 'Y') onlyY = await newMember(app, team, 'viewer');
      const created = await newApp(app, { team });
      const client = team.owner.client;
      const env = expectStatus(await client.post<{ id: string; name: string }>(`/v1/apps/${created.name}/environments`, { name: `e${rand()}` }), 201).body;
      const base = `/v1/apps/${created.name}/environments/${env.name}`;
      expectStatus(await client.post(`${base}/releases`, { image: 'nginx:1.27' }), 201);
      expectStatus(await client.patch(`${base}/formation`, { process_types: [{ type: 'web', replicas: 1 }] }), 200);
      const hostname = `${rand()}.refs.example.com`;
      expectStatus(await client.post(`${base}/domains`, { hostname }), 201);
      const registry = `${rand()}.registry.example.com`;
      expectStatus(await client.put(`/v1/teams/${team.name}/registry-credentials/${registry}`, { username: 'u', password: 'p' }), 201);
      const invitation = expectStatus(await client.post<{ id: string }>(`/v1/teams/${team.name}/members`, { email: `invited-${rand()}@example.com`, role: 'viewer' }), 201).body.id;
      teams[t] = { ...team, app: { id: created.id, name: created.name }, env, hostname, registry, invitation };
    }
    const callerTokenId = expectStatus(await caller.client.post<{ id: string }>('/v1/tokens', { description: 'refs' }), 201).body.id;
    const otherTokenId = expectStatus(await other!.client.post<{ id: string }>('/v1/tokens', { description: 'refs' }), 201).body.id;
    world = { teams, caller, other: other!, onlyY: onlyY!, callerTokenId, otherTokenId };
    const doc = expectStatus(await app.anonymous.get<{ paths: Record<string, Record<string, Record<string, unknown>>> }>('/openapi.json'), 200).body;
    routes = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops).map(([method, op]) => ({ key: `${method.toUpperCase()} ${path}`, method: method.toUpperCase(), path, rule: String(op['x-berth-access']), params: [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!) })),
    );
  });
  afterAll(async () => {
    await app.close();
  });

  /** Routes taking a reference a tenant can use: every path parameter, or a team in the body. */
  const BODY_OR_QUERY_REFS: Record<string, string> = { 'POST /v1/apps': 'team', 'GET /v1/audit-events': 'team', 'GET /v1/audit-events/export': 'team' };
  const referencing = () => routes.filter((r) => r.rule !== 'platform-admin' && (r.params.length > 0 || r.key in BODY_OR_QUERY_REFS));

  it('has a valid body for every referencing route, so none is skipped', () => {
    const p = pools(world);
    const missing = referencing().filter((r) => bodyFor(r.key, { team: p.team[0]! }) === undefined).map((r) => r.key);
    expect(missing).toEqual([]);
    expect(referencing().length).toBeGreaterThan(30);
  });

  /** Every identifier of every team's objects: an answer about tenant T may name none of the others'. */
  function identifiersOf(t: Tenant): string[] {
    const team = world.teams[t];
    return [team.id, team.name, team.app.id, team.app.name, team.env.id, team.env.name, team.hostname, team.registry, team.invitation];
  }

  async function checkRoute(route: (typeof routes)[number], seed: number, failures: string[]): Promise<{ found: number; missing: number }> {
    const p = pools(world);
    const names = route.key in BODY_OR_QUERY_REFS ? [BODY_OR_QUERY_REFS[route.key]!] : route.params.filter((n) => !(route.method === 'PUT' && n === 'registry'));
    const destructive = route.method === 'DELETE';
    let arbitrary = fc.record(Object.fromEntries(names.map((n) => [n, fc.constantFrom(...(p[n] ?? [{ text: `unknown-${n}`, owner: null }]))])) as Record<string, fc.Arbitrary<Candidate>>);
    // Deleting the caller's own objects would use up the fixture; deletions are driven with
    // references that must not resolve (wrong-target deletion by uuid is tested in references.spec).
    if (destructive) arbitrary = arbitrary.filter((refs) => expectedTenant(refs) === null);
    const counts = { found: 0, missing: 0 };
    await fc.assert(
      fc.asyncProperty(arbitrary, async (refs) => {
        let path = route.path;
        for (const n of route.params) {
          const value = route.key.startsWith('PUT ') && n === 'registry' ? `p-${rand()}.registry.example.com` : refs[n]!.text;
          path = path.replace(`{${n}}`, encodeURIComponent(value));
        }
        if (route.key.startsWith('GET /v1/audit-events')) path += `?team=${encodeURIComponent(refs.team!.text)}`;
        const want = expectedTenant(refs);
        const extra = bodyFor(route.key, refs) ?? {};
        const before = await digests(app.databaseUrl);
        const res: HttpResponse = await (world.caller.client as HttpClient).request(route.method, path, extra);
        const after = await digests(app.databaseUrl);
        const label = `${route.key} ${path}`;
        const changed = Object.keys({ ...before, ...after }).filter((id) => before[id] !== after[id]);
        if (want === null) {
          counts.missing += 1;
          if (res.status !== 404) failures.push(`${label}: expected 404, got ${res.status} ${res.text.slice(0, 200)}`);
          if (changed.length) failures.push(`${label}: answered ${res.status} but changed teams ${changed.join(',')}`);
          return;
        }
        counts.found += 1;
        if (res.status === 404) failures.push(`${label}: names an object of the caller's, got 404 ${res.text.slice(0, 200)}`);
        const mineId = want === 'self' ? undefined : world.teams[want].id;
        const othersChanged = changed.filter((id) => id !== mineId);
        if (othersChanged.length) failures.push(`${label}: changed another team (${othersChanged.join(',')})`);
        if (res.status < 300 && want !== 'self') {
          const foreign = (['X', 'Y', 'Z'] as Tenant[]).filter((t) => t !== want).flatMap(identifiersOf).filter((s) => res.text.includes(s));
          if (foreign.length) failures.push(`${label}: the answer about ${want} names another team's ${foreign.join(', ')}`);
        }
        const last = route.params[route.params.length - 1];
        const body = res.body as Record<string, unknown> | undefined;
        if (res.status < 300 && want !== 'self' && route.key.startsWith('GET /v1/audit-events')) {
          const events = route.key.endsWith('export') ? res.text.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as { team_id: string }) : (body as { items: Array<{ team_id: string }> }).items;
          if (events.length === 0 || events.some((e) => e.team_id !== world.teams[want].id)) failures.push(`${label}: events of other teams (or none) in ${want}'s audit log`);
        }
        if (res.status < 300 && body && typeof body === 'object' && 'id' in body && last && ['team', 'app', 'env', 'token'].includes(last) && route.path.endsWith(`{${last}}`)) {
          if (body.id !== refs[last]!.id) failures.push(`${label}: answered about ${String(body.id)}, not ${refs[last]!.id}`);
        }
      }),
      { seed, numRuns: RUNS },
    );
    return counts;
  }

  it(`answers each reference with exactly its object or 404, and changes no other team (seeds ${FIXED_SEED} and ${RANDOM_SEED})`, async () => {
    // eslint-disable-next-line no-console
    console.log(`references property: random seed ${RANDOM_SEED} (replay with BERTH_PROPERTY_SEED=${RANDOM_SEED})`);
    const failures: string[] = [];
    const totals = { found: 0, missing: 0 };
    for (const seed of [FIXED_SEED, RANDOM_SEED]) {
      for (const route of referencing()) {
        const c = await checkRoute(route, seed, failures);
        totals.found += c.found;
        totals.missing += c.missing;
      }
    }
    expect(failures).toEqual([]);
    expect(totals.found).toBeGreaterThan(50);
    expect(totals.missing).toBeGreaterThan(50);
  });

  it('GraphQL: queries, mutations and node(id) with the same references answer exactly that object or NOT_FOUND', async () => {
    const p = pools(world);
    const ops: Array<{ name: string; params: string[]; query: string; id?: (data: Record<string, any>) => unknown; last?: string }> = [
      { name: 'team', params: ['team'], query: 'query($team: String!) { r: team(team: $team) { uuid } }', id: (d) => d.r.uuid, last: 'team' },
      { name: 'quota', params: ['team'], query: 'query($team: String!) { r: quota(team: $team) { teamId } }', id: (d) => d.r.teamId, last: 'team' },
      { name: 'updateTeam', params: ['team'], query: 'mutation($team: String!) { r: updateTeam(input: { team: $team, displayName: "g" }) { team { uuid } } }', id: (d) => d.r.team.uuid, last: 'team' },
      { name: 'app', params: ['app'], query: 'query($app: String!) { r: app(app: $app) { uuid } }', id: (d) => d.r.uuid, last: 'app' },
      { name: 'updateApp', params: ['app'], query: 'mutation($app: String!) { r: updateApp(input: { app: $app, description: "g" }) { app { uuid } } }', id: (d) => d.r.app.uuid, last: 'app' },
      { name: 'environment', params: ['app', 'env'], query: 'query($app: String!, $env: String!) { r: environment(app: $app, environment: $env) { uuid } }', id: (d) => d.r.uuid, last: 'env' },
      { name: 'configVars', params: ['app', 'env'], query: 'query($app: String!, $env: String!) { r: configVars(app: $app, environment: $env) { version } }' },
      { name: 'domain', params: ['app', 'env', 'hostname'], query: 'query($app: String!, $env: String!, $hostname: String!) { r: domain(app: $app, environment: $env, hostname: $hostname) { hostname } }' },
      { name: 'token', params: ['token'], query: 'query($token: String!) { r: token(token: $token) { uuid } }', id: (d) => d.r.uuid, last: 'token' },
    ];
    const failures: string[] = [];
    for (const seed of [FIXED_SEED, RANDOM_SEED]) {
      for (const op of ops) {
        await fc.assert(
          fc.asyncProperty(fc.record(Object.fromEntries(op.params.map((n) => [n, fc.constantFrom(...p[n]!)])) as Record<string, fc.Arbitrary<Candidate>>), async (refs) => {
            const want = expectedTenant(refs);
            const before = await digests(app.databaseUrl);
            const res = await gql(app.url, world.caller.token, op.query, Object.fromEntries(Object.entries(refs).map(([k, c]) => [k, c.text])));
            const after = await digests(app.databaseUrl);
            const changed = Object.keys({ ...before, ...after }).filter((id) => before[id] !== after[id]);
            const label = `${op.name}(${Object.values(refs).map((c) => c.text).join(', ')})`;
            const mineId = want === null || want === 'self' ? undefined : world.teams[want].id;
            if (changed.some((id) => id !== mineId)) failures.push(`${label}: changed another team`);
            if (want === null) {
              if (res.errors?.[0]?.extensions?.code !== 'NOT_FOUND') failures.push(`${label}: expected NOT_FOUND, got ${JSON.stringify(res.errors ?? res.data).slice(0, 200)}`);
              return;
            }
            if (res.errors?.length || !res.data) {
              failures.push(`${label}: expected an answer, got ${JSON.stringify(res.errors).slice(0, 200)}`);
              return;
            }
            if (op.id && op.last && op.id(res.data) !== refs[op.last]!.id) failures.push(`${label}: answered about ${String(op.id(res.data))}, not ${refs[op.last]!.id}`);
          }),
          { seed, numRuns: RUNS },
        );
      }
    }
    // node(id) for every kind of object of every team, and for ids that name nothing.
    const nodes: Array<{ id: string; uuid: string | null }> = [{ id: toGlobalId('Team', NO_UUID), uuid: null }, { id: toGlobalId('App', NO_UUID), uuid: null }, { id: toGlobalId('Environment', NO_UUID), uuid: null }];
    for (const t of ['X', 'Y', 'Z'] as Tenant[]) {
      const team = world.teams[t];
      const mine = MINE.includes(t);
      nodes.push({ id: toGlobalId('Team', team.id), uuid: mine ? team.id : null }, { id: toGlobalId('App', team.app.id), uuid: mine ? team.app.id : null }, { id: toGlobalId('Environment', team.env.id), uuid: mine ? team.env.id : null });
    }
    nodes.push({ id: toGlobalId('Token', world.callerTokenId), uuid: world.callerTokenId }, { id: toGlobalId('Token', world.otherTokenId), uuid: null });
    for (const node of nodes) {
      const res = await gql<{ node: { uuid: string } | null }>(app.url, world.caller.token, 'query($id: ID!) { node(id: $id) { ... on Team { uuid } ... on App { uuid } ... on Environment { uuid } ... on Token { uuid } } }', { id: node.id });
      const got = res.errors?.length ? `error ${String(res.errors[0]?.extensions?.code)}` : res.data?.node?.uuid;
      if (got !== (node.uuid ?? 'error NOT_FOUND')) failures.push(`node(${node.id}): expected ${node.uuid ?? 'NOT_FOUND'}, got ${String(got)}`);
    }
    expect(failures).toEqual([]);
  });

  it('resolves cluster references (platform admin) to exactly the cluster named, or 404', async () => {
    const a = expectStatus(await app.admin.post<{ id: string; name: string }>('/v1/clusters', { name: `ca-${rand()}`, server: 'http://127.0.0.1:9', token: 't' }), 201).body;
    const b = expectStatus(await app.admin.post<{ id: string; name: string }>('/v1/clusters', { name: `cb-${rand()}`, server: 'http://127.0.0.1:9', token: 't' }), 201).body;
    const rows = async () => Object.fromEntries((await sql<{ id: string; v: string }>(app.databaseUrl, 'SELECT id, concat_ws(\',\', name, labels::text, cordoned, version) AS v FROM clusters')).map((r) => [r.id, r.v]));
    const candidates = [a.name, a.id, b.name, b.id, 'no-such-cluster', NO_UUID];
    const byRef = (ref: string) => (ref === a.name || ref === a.id ? a : ref === b.name || ref === b.id ? b : undefined);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...candidates), fc.constantFrom('GET', 'PATCH', 'POST cordon', 'POST uncordon', 'DELETE'), async (ref, op) => {
        const target = byRef(ref);
        if (op === 'DELETE' && target) return;
        const [method, suffix] = op.split(' ');
        const before = await rows();
        const res = await app.admin.request(method!, `/v1/clusters/${ref}${suffix ? `/${suffix}` : ''}`, method === 'PATCH' ? { body: { labels: { p: rand() } } } : {});
        const after = await rows();
        const changed = Object.keys(before).filter((id) => before[id] !== after[id]);
        if (!target) {
          expect(res.status).toBe(404);
          expect(changed).toEqual([]);
          return;
        }
        expect(res.status).toBeLessThan(300);
        expect((res.body as { id: string }).id).toBe(target.id);
        expect(changed.filter((id) => id !== target.id)).toEqual([]);
      }),
      { seed: FIXED_SEED, numRuns: 30 },
    );
  });
});
