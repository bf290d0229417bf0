// The one concurrency rule (docs/api-conventions.md), route by route: every update of a versioned
// resource honours an optional expected version — If-Match over REST, expectedVersion over GraphQL —
// and refuses a stale one with 412 / PRECONDITION_FAILED, changing nothing; without one the update
// applies. Every PATCH and PUT of the route table (from /openapi.json) must have an entry below or a
// documented exception, so a new update cannot ship without deciding its concurrency.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import { buildSchema, getNamedType, type GraphQLInputObjectType } from 'graphql';
import { newApp, newEnvironment, newMember, newTeam, type TestTeam } from '../support/factories.js';
import { expectStatus, type HttpClient } from '../support/http.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { gql } from './graphql-client.js';

interface Target {
  /** The client allowed to make the change, and its token for GraphQL. */
  client: HttpClient;
  token: string;
  /** Where to read the resource's current version (its ETag). */
  readPath: string;
  writePath: string;
  /** A change that moves the version on each time it is sent (a no-op change may not). */
  body: unknown | (() => unknown);
  /** The same change over GraphQL, given the expected version. */
  mutation: string;
  /** Reads the version out of the GraphQL answer. */
  versionOf: (data: Record<string, any>) => number;
}

interface Entry {
  target: (t: TestApp) => Promise<Target>;
}

/** Updates that are not of a versioned resource, and why. */
export const EXCEPTIONS: Record<string, string> = {
  'PUT /v1/teams/{team}/registry-credentials/{registry}': 'a write-only secret replaced whole (no version, nothing to merge or lose)',
};

const ENTRIES: Record<string, Entry> = {
  'PATCH /v1/teams/{team}': { target: async (t) => {
    const team = await newTeam(t);
    return { ...owner(team), readPath: `/v1/teams/${team.name}`, writePath: `/v1/teams/${team.name}`, body: { display_name: 'Renamed' },
      mutation: `mutation($v: Int) { updateTeam(input: { team: ${JSON.stringify(team.name)}, displayName: "Renamed", expectedVersion: $v }) { team { version } } }`,
      versionOf: (d) => d.updateTeam.team.version };
  } },
  'PATCH /v1/teams/{team}/members/{user}': { target: async (t) => {
    const team = await newTeam(t);
    const member = await newMember(t, team, 'viewer');
    const path = `/v1/teams/${team.name}/members/${member.id}`;
    const members = expectStatus(await team.owner.client.get<{ items: Array<{ user_id: string; version: number }> }>(`/v1/teams/${team.name}/members`), 200).body.items;
    expect(members.some((m) => m.user_id === member.id)).toBe(true);
    return { ...owner(team), readPath: `/v1/teams/${team.name}/members`, writePath: path, body: { role: 'developer' },
      mutation: `mutation($v: Int) { updateMember(input: { team: ${JSON.stringify(team.name)}, user: ${JSON.stringify(member.id)}, role: DEVELOPER, expectedVersion: $v }) { member { version } } }`,
      versionOf: (d) => d.updateMember.member.version, memberId: member.id } as Target;
  } },
  'PATCH /v1/apps/{app}': { target: async (t) => {
    const app = await newApp(t);
    return { ...owner(app.team), readPath: `/v1/apps/${app.name}`, writePath: `/v1/apps/${app.name}`, body: { description: 'd' },
      mutation: `mutation($v: Int) { updateApp(input: { app: ${JSON.stringify(app.name)}, description: "d", expectedVersion: $v }) { app { version } } }`,
      versionOf: (d) => d.updateApp.app.version };
  } },
  'PATCH /v1/apps/{app}/environments/{env}': { target: async (t) => {
    const env = await newEnvironment(t);
    return { ...owner(env.app.team), readPath: env.path, writePath: env.path, body: { auto_rollback: true },
      mutation: `mutation($v: Int) { updateEnvironment(input: { app: ${JSON.stringify(env.app.name)}, environment: ${JSON.stringify(env.name)}, autoRollback: true, expectedVersion: $v }) { environment { version } } }`,
      versionOf: (d) => d.updateEnvironment.environment.version };
  } },
  'PATCH /v1/apps/{app}/environments/{env}/config-vars': { target: async (t) => {
    const env = await newEnvironment(t);
    return { ...owner(env.app.team), readPath: `${env.path}/config-vars`, writePath: `${env.path}/config-vars`, body: () => ({ set: { A: uniq() } }),
      mutation: `mutation($v: Int, $set: JSON) { updateConfigVars(input: { app: ${JSON.stringify(env.app.name)}, environment: ${JSON.stringify(env.name)}, set: $set, expectedVersion: $v }) { configVars { version } } }`,
      versionOf: (d) => d.updateConfigVars.configVars.version };
  } },
  'PATCH /v1/apps/{app}/environments/{env}/formation': { target: async (t) => {
    const env = await newEnvironment(t);
    return { ...owner(env.app.team), readPath: `${env.path}/formation`, writePath: `${env.path}/formation`, body: { process_types: [{ type: 'worker', replicas: 1 }] },
      mutation: `mutation($v: Int) { updateFormation(input: { app: ${JSON.stringify(env.app.name)}, environment: ${JSON.stringify(env.name)}, processTypes: [{ type: "worker", replicas: 1 }], expectedVersion: $v }) { formation { version } } }`,
      versionOf: (d) => d.updateFormation.formation.version };
  } },
  'PUT /v1/teams/{team}/quota': { target: async (t) => {
    const team = await newTeam(t);
    return { client: t.admin, token: t.adminToken, readPath: `/v1/teams/${team.name}/quota`, writePath: `/v1/teams/${team.name}/quota`, body: { apps: 20 },
      mutation: `mutation($v: Int) { updateQuota(input: { team: ${JSON.stringify(team.name)}, apps: 20, expectedVersion: $v }) { quota { version } } }`,
      versionOf: (d) => d.updateQuota.quota.version };
  } },
  'PATCH /v1/clusters/{cluster}': { target: async (t) => {
    const name = `cc-${Math.random().toString(36).slice(2, 8)}`;
    expectStatus(await t.admin.post('/v1/clusters', { name, server: 'http://127.0.0.1:9', token: 'concurrency-token' }), 201);
    return { client: t.admin, token: t.adminToken, readPath: `/v1/clusters/${name}`, writePath: `/v1/clusters/${name}`, body: { labels: { a: 'b' } },
      mutation: `mutation($v: Int) { updateCluster(input: { cluster: ${JSON.stringify(name)}, labels: { a: "b" }, expectedVersion: $v }) { cluster { version } } }`,
      versionOf: (d) => d.updateCluster.cluster.version };
  } },
};

/** Each REST update's GraphQL counterpart (the mutation its entry above sends). */
const MUTATIONS: Record<string, string> = {
  'PATCH /v1/teams/{team}': 'updateTeam',
  'PATCH /v1/teams/{team}/members/{user}': 'updateMember',
  'PATCH /v1/apps/{app}': 'updateApp',
  'PATCH /v1/apps/{app}/environments/{env}': 'updateEnvironment',
  'PATCH /v1/apps/{app}/environments/{env}/config-vars': 'updateConfigVars',
  'PATCH /v1/apps/{app}/environments/{env}/formation': 'updateFormation',
  'PUT /v1/teams/{team}/quota': 'updateQuota',
  'PATCH /v1/clusters/{cluster}': 'updateCluster',
};

const uniq = () => Math.random().toString(36).slice(2, 10);
const bodyOf = (target: Target) => (typeof target.body === 'function' ? (target.body as () => unknown)() : target.body);
/** Variables every mutation may use: a fresh config var value (others ignore it). */
const vars = (v: number | null) => ({ v, set: { A: uniq() } });

function owner(team: TestTeam): Pick<Target, 'client' | 'token'> {
  return { client: team.owner.client, token: team.owner.token };
}

/** The resource's version as its ETag states it (a list of members: the member's own version). */
async function currentVersion(target: Target): Promise<number> {
  const read = expectStatus(await target.client.get<{ items?: Array<{ user_id: string; version: number }> }>(target.readPath), 200);
  const memberId = (target as Target & { memberId?: string }).memberId;
  if (memberId) return read.body.items!.find((m) => m.user_id === memberId)!.version;
  const etag = read.headers.get('etag');
  expect(etag).toMatch(/^"\d+"$/);
  return Number(etag!.slice(1, -1));
}

describe('one concurrency rule for every versioned update', () => {
  let app: TestApp;
  let updates: string[];

  beforeAll(async () => {
    app = await createTestApp();
    const doc = expectStatus(await app.anonymous.get<{ paths: Record<string, Record<string, unknown>> }>('/openapi.json'), 200).body;
    updates = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).filter((m) => m === 'patch' || m === 'put').map((m) => `${m.toUpperCase()} ${path}`));
  });
  afterAll(async () => {
    await app.close();
  });

  it('has a decision for every PATCH and PUT of the route table', () => {
    const undecided = updates.filter((key) => !ENTRIES[key] && !EXCEPTIONS[key]);
    expect(undecided).toEqual([]);
    const stale = [...Object.keys(ENTRIES), ...Object.keys(EXCEPTIONS)].filter((key) => !updates.includes(key));
    expect(stale).toEqual([]);
  });

  it('covers every GraphQL update mutation: each takes expectedVersion in its input and is tested here', async () => {
    // The committed schema, which test/unit/graphql-schema.spec.ts holds equal to the code's.
    const schema = buildSchema(await readFile('docs/schema.graphql', 'utf8'));
    const updates = Object.values(schema.getMutationType()!.getFields()).filter((f) => f.name.startsWith('update'));
    expect(updates.length).toBeGreaterThan(0);
    const tested = Object.values(MUTATIONS);
    for (const update of updates) {
      const input = getNamedType(update.args.find((a) => a.name === 'input')!.type) as GraphQLInputObjectType;
      expect({ update: update.name, expectedVersion: 'expectedVersion' in input.getFields(), tested: tested.includes(update.name) }).toEqual({ update: update.name, expectedVersion: true, tested: true });
    }
  });

  for (const [key, entry] of Object.entries(ENTRIES)) {
    const method = key.split(' ')[0]!;
    it(`${key}: a stale If-Match is refused with 412 and changes nothing; the current one or none applies`, async () => {
      const target = await entry.target(app);
      const version = await currentVersion(target);
      const stale = expectStatus(await target.client.request(method, target.writePath, { body: bodyOf(target), headers: { 'if-match': `"${version + 7}"` } }), 412);
      expect(stale.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(await currentVersion(target)).toBe(version);
      expectStatus(await target.client.request(method, target.writePath, { body: bodyOf(target), headers: { 'if-match': `"${version}"` } }), 200);
      const next = await currentVersion(target);
      expect(next).toBeGreaterThan(version);
      expectStatus(await target.client.request(method, target.writePath, { body: bodyOf(target) }), 200);
      expect(await currentVersion(target)).toBeGreaterThan(next);
    });

    it(`${key}: its GraphQL counterpart honours expectedVersion the same way`, async () => {
      const target = await entry.target(app);
      const version = await currentVersion(target);
      expect(target.mutation).toContain(`{ ${MUTATIONS[key]}(input:`);
      const stale = await gql(app.url, target.token, target.mutation, vars(version + 7));
      expect(stale.errors?.[0]?.extensions).toMatchObject({ code: 'PRECONDITION_FAILED', status: 412, field: 'expectedVersion' });
      expect(await currentVersion(target)).toBe(version);
      const current = await gql(app.url, target.token, target.mutation, vars(version));
      expect(current.errors).toBeUndefined();
      expect(target.versionOf(current.data!)).toBeGreaterThan(version);
      const unconditional = await gql(app.url, target.token, target.mutation, vars(null));
      expect(unconditional.errors).toBeUndefined();
      expect(target.versionOf(unconditional.data!)).toBeGreaterThan(target.versionOf(current.data!));
    });
  }
});
