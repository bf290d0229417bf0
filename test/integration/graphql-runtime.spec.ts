// GraphQL guardrails, batching with DataLoader, introspection switch and subscriptions over graphql-ws.
import { WorkQueueService } from '../../src/modules/work-queue/work-queue.service.js';
import { WorkloadsRepository } from '../../src/modules/workloads/workloads.repository.js';
import { newApp, newEnvironment, newMember, newTeam, newUser } from '../support/factories.js';
import { newSandbox, registerCluster } from '../support/sandbox.js';
import { expectStatus } from '../support/http.js';
import { eventually } from '../support/sandbox.js';
import { countQueriesOf } from '../support/query-count.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { gql, gqlData, subscribe, wsClient } from './graphql-client.js';

let app: TestApp;

beforeAll(async () => {
  app = await createTestApp();
});

afterAll(async () => {
  await app.close();
});

describe('guardrails', () => {
  it('rejects first above 100 before execution, naming the limit', async () => {
    const result = await gql(app.url, app.adminToken, '{ apps(first: 101) { edges { node { name } } } }');
    expect(result.status).toBe(400);
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'LIMIT_EXCEEDED', limit: 'first', max: 100, actual: 101 });
  });

  it('applies variables when checking page sizes', async () => {
    const result = await gql(app.url, app.adminToken, 'query($n: Int) { apps(first: $n) { edges { node { name } } } }', { n: 500 });
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'LIMIT_EXCEEDED', limit: 'first' });
  });

  it('rejects a query over the cost budget', async () => {
    const query = '{ apps(first: 100) { edges { node { environments(first: 100) { edges { node { latestRelease { status { phase } } } } } } } } }';
    const result = await gql(app.url, app.adminToken, query);
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'LIMIT_EXCEEDED', limit: 'cost', max: 5000 });
    expect(result.errors?.[0]?.message).toMatch(/cost budget/);
  });

  it('rejects a query deeper than 10 levels', async () => {
    const query = '{ __schema { types { fields { type { ofType { ofType { ofType { ofType { ofType { ofType { name } } } } } } } } } } }';
    const result = await gql(app.url, app.adminToken, query);
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'LIMIT_EXCEEDED', limit: 'depth', max: 10 });
  });

  it('accepts up to 10 operations per batched request and refuses more', async () => {
    const post = (n: number) =>
      fetch(`${app.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${app.adminToken}` },
        body: JSON.stringify(Array.from({ length: n }, () => ({ query: '{ me { email } }' }))),
      });
    const ok = await post(10);
    expect(ok.status).toBe(200);
    expect((await ok.json()) as unknown[]).toHaveLength(10);
    const tooMany = await post(11);
    expect(tooMany.status).toBe(400);
    const body = (await tooMany.json()) as { errors: Array<{ extensions: Record<string, unknown> }> };
    expect(body.errors[0]?.extensions).toMatchObject({ code: 'LIMIT_EXCEEDED', limit: 'batch', max: 10, actual: 11 });
  });

  it('answers introspection by default, and not when BERTH_GRAPHQL_INTROSPECTION=false', async () => {
    const INTROSPECT = '{ __schema { queryType { name } } }';
    expect((await gqlData(app.url, app.adminToken, INTROSPECT)).__schema).toEqual({ queryType: { name: 'Query' } });
    const closed = await createTestApp({ env: { BERTH_GRAPHQL_INTROSPECTION: 'false' } });
    try {
      const result = await gql(closed.url, closed.adminToken, INTROSPECT);
      expect(result.errors?.[0]?.message).toMatch(/introspection/i);
      expect((await gqlData(closed.url, closed.adminToken, '{ me { email } }')).me).toBeTruthy();
    } finally {
      await closed.close();
    }
  });
});

describe('batching', () => {
  let requests = 0;
  /** Runs one GraphQL request and counts its own queries (not background work's: see query-count.ts). */
  async function countQueries(app: TestApp, token: string, query: string, variables: Record<string, unknown>): Promise<{ count: number; data: Record<string, any> }> {
    const requestId = `batching-${++requests}`;
    let data: Record<string, any> = {};
    const count = await countQueriesOf(requestId, async () => {
      const response = await fetch(`${app.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-request-id': requestId },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await response.json()) as { data: Record<string, any>; errors?: unknown };
      if (body.errors) throw new Error(JSON.stringify(body.errors));
      data = body.data;
    });
    return { count, data };
  }

  it('walks team → apps → environments → cluster, current and latest release → creator in a constant number of queries', async () => {
    // An instance without background workers (jobs are queued, never run), so that every query
    // counted is the request's own; the queue's tables exist so that writes can enqueue.
    const quiet = await createTestApp({ env: { BERTH_WORKERS_ENABLED: 'false' } });
    const sandbox = await newSandbox('batching');
    try {
      await WorkQueueService.migrate(quiet.databaseUrl);
      await checkBatching(quiet, (await registerCluster(quiet, sandbox, { tier: 'test' })).name);
    } finally {
      await quiet.close();
      await sandbox.stop();
    }
  });

  async function checkBatching(app: TestApp, cluster: string): Promise<void> {
    const team = await newTeam(app);
    const releases = app.server.app.get(WorkloadsRepository);
    const QUERY = `query($team: String!) { team(team: $team) { name apps(first: 20) { totalCount edges { node { name team { name } environments(first: 5) { totalCount edges { node {
      name app { name } team { name role } cluster { name labels }
      currentRelease { number creator { email } environment { name } }
      latestRelease { number creator { email } }
    } } } } } } } }`;
    // Each environment's release history, one window query for all of them (and one count), and its domains.
    const HISTORY = `query($team: String) { apps(team: $team, first: 20) { edges { node { environments(first: 5) { edges { node { releases(first: 2) { totalCount edges { node { number } } } domains(first: 5) { totalCount } } } } } } } }`;
    const seed = async (n: number) => {
      for (let i = 0; i < n; i++) {
        const parent = await newApp(app, { team });
        const env = expectStatus(await team.owner.client.post<{ id: string; name: string }>(`/v1/apps/${parent.name}/environments`, { name: 'staging', cluster }), 201).body;
        const release = expectStatus(await team.owner.client.post<{ id: string }>(`/v1/apps/${parent.name}/environments/${env.name}/releases`, { image: `registry.example.com/x/y:${i}` }), 201).body;
        await releases.setReleasePhase(team.id, release.id, 'succeeded', null, null);
      }
    };
    await seed(2);
    await gqlData(app.url, team.owner.token, QUERY, { team: team.name }); // warm-up (token last-used write)
    const { count: few } = await countQueries(app, team.owner.token, QUERY, { team: team.name });
    const { count: fewHistory } = await countQueries(app, team.owner.token, HISTORY, { team: team.name });
    await seed(8);
    const { count: many, data } = await countQueries(app, team.owner.token, QUERY, { team: team.name });
    const { count: manyHistory, data: history } = await countQueries(app, team.owner.token, HISTORY, { team: team.name });
    expect(manyHistory).toBe(fewHistory);
    const histories = (history.apps.edges as Array<{ node: { environments: { edges: Array<{ node: { releases: unknown; domains: unknown } }> } } }>).map((e) => e.node.environments.edges[0]!.node);
    expect(histories).toEqual(Array.from({ length: 10 }, () => ({ releases: { totalCount: 1, edges: [{ node: { number: 1 } }] }, domains: { totalCount: 0 } })));
    type Env = { name: string; app: { name: string }; team: { name: string; role: string }; cluster: { name: string }; currentRelease: { number: number; creator: { email: string }; environment: { name: string } }; latestRelease: { number: number } };
    const apps = data.team.apps as { totalCount: number; edges: Array<{ node: { name: string; team: { name: string }; environments: { totalCount: number; edges: Array<{ node: Env }> } } }> };
    expect(apps.totalCount).toBe(10);
    expect(apps.edges).toHaveLength(10);
    for (const { node } of apps.edges) {
      expect(node.team.name).toBe(team.name);
      expect(node.environments.totalCount).toBe(1);
      expect(node.environments.edges[0]!.node).toMatchObject({
        name: 'staging',
        app: { name: node.name },
        team: { name: team.name, role: 'OWNER' },
        cluster: { name: cluster },
        currentRelease: { number: 1, creator: { email: team.owner.email }, environment: { name: 'staging' } },
        latestRelease: { number: 1 },
      });
    }
    expect(few).toBeGreaterThan(3);
    expect(many).toBe(few);
    expect(many).toBeLessThanOrEqual(30); // authentication, rate limit, the team, then about one query per link
  }
});

describe('subscriptions', () => {
  const RELEASES = `subscription($app: String!, $env: String!) { releaseStatus(app: $app, environment: $env) { number status { phase reason } } }`;
  const AUDIT = `subscription($team: String!) { auditEvents(team: $team) { action target { name } teamId } }`;

  it('refuses a connection without a valid token', async () => {
    const client = wsClient(app.url, 'berth_notavalidtokenatallxxxxxxxxx');
    const sub = subscribe(client, AUDIT, { team: 'whatever' });
    await sub.waitFor(() => sub.errors.length > 0 || sub.completed);
    expect(sub.values).toHaveLength(0);
    await client.dispose();
  });

  it('streams release phase changes of an environment', async () => {
    const env = await newEnvironment(app);
    const owner = env.app.team.owner;
    const release = expectStatus(await owner.client.post<{ id: string; number: number }>(`${env.path}/releases`, { image: 'registry.example.com/a/b:1' }), 201).body;
    const client = wsClient(app.url, owner.token);
    const sub = subscribe<{ releaseStatus: { number: number; status: { phase: string; reason: string | null } } }>(client, RELEASES, { app: env.app.name, env: env.name });
    try {
      const repository = app.server.app.get(WorkloadsRepository);
      // The subscription is live once it delivers something: nudge the release (a non-final phase,
      // a new message each time, so every nudge notifies) until an event arrives. A fixed pause here
      // was a race under load.
      let nudge = 0;
      await eventually(async () => {
        nudge += 1;
        await repository.setReleasePhase(env.app.team.id, release.id, 'applying', null, `nudge ${nudge}`);
        return sub.values.length > 0 ? true : undefined;
      }, 'the release subscription to deliver an event', 100, 100);
      await repository.setReleasePhase(env.app.team.id, release.id, 'failed', 'crash_loop', 'the process keeps exiting');
      await sub.waitFor(() => sub.values.some((v) => v.releaseStatus.status.reason === 'CRASH_LOOP'));
      expect(sub.values.find((v) => v.releaseStatus.status.reason === 'CRASH_LOOP')?.releaseStatus).toMatchObject({ number: release.number, status: { phase: 'FAILED' } });
    } finally {
      sub.dispose();
      await client.dispose();
    }
  });

  it("loads each event's links afresh (a subscription keeps its context, not its data)", async () => {
    const env = await newEnvironment(app);
    const owner = env.app.team.owner;
    const repository = app.server.app.get(WorkloadsRepository);
    const first = expectStatus(await owner.client.post<{ id: string }>(`${env.path}/releases`, { image: 'registry.example.com/a/b:1' }), 201).body;
    const LINKED = `subscription($app: String!, $env: String!) { releaseStatus(app: $app, environment: $env) { number status { reason } environment { latestRelease { number } } } }`;
    type Event = { releaseStatus: { number: number; status: { reason: string | null }; environment: { latestRelease: { number: number } } } };
    const client = wsClient(app.url, owner.token);
    const sub = subscribe<Event>(client, LINKED, { app: env.app.name, env: env.name });
    try {
      await new Promise((resolve) => setTimeout(resolve, 300)); // subscription established
      await repository.setReleasePhase(env.app.team.id, first.id, 'failed', 'crash_loop', 'the process keeps exiting');
      await sub.waitFor(() => sub.values.some((v) => v.releaseStatus.number === 1 && v.releaseStatus.status.reason === 'CRASH_LOOP'));
      const second = expectStatus(await owner.client.post<{ id: string }>(`${env.path}/releases`, { image: 'registry.example.com/a/b:2' }), 201).body;
      await repository.setReleasePhase(env.app.team.id, second.id, 'failed', 'oom_killed', 'out of memory');
      await sub.waitFor(() => sub.values.some((v) => v.releaseStatus.number === 2 && v.releaseStatus.status.reason === 'OOM_KILLED'));
      expect(sub.values.find((v) => v.releaseStatus.number === 2 && v.releaseStatus.status.reason === 'OOM_KILLED')!.releaseStatus.environment.latestRelease.number).toBe(2);
    } finally {
      sub.dispose();
      await client.dispose();
    }
  });

  it("refuses another team's environment with NOT_FOUND", async () => {
    const env = await newEnvironment(app);
    const stranger = await newUser(app);
    const client = wsClient(app.url, stranger.token);
    const sub = subscribe(client, RELEASES, { app: env.app.name, env: env.name });
    try {
      await sub.waitFor(() => sub.errors.length > 0);
      expect(JSON.stringify(sub.errors)).toMatch(/NOT_FOUND/);
    } finally {
      await client.dispose();
    }
  });

  it("streams a team's audit events to its admins across replicas (LISTEN/NOTIFY)", async () => {
    const team = await newTeam(app);
    const other = await createTestApp({ databaseUrl: app.databaseUrl });
    const client = wsClient(other.url, team.owner.token);
    const sub = subscribe<{ auditEvents: { action: string; target: { name: string }; teamId: string } }>(client, AUDIT, { team: team.name });
    try {
      // The subscription is live once it delivers something: create apps until one's event arrives
      // (a fixed pause here was a race under load).
      const names: string[] = [];
      await eventually(async () => {
        names.push((await newApp(app, { team })).name);
        return sub.values.some((v) => v.auditEvents.action === 'app.create') ? true : undefined;
      }, 'the audit subscription to deliver an event', 100, 100);
      const first = sub.values.find((v) => v.auditEvents.action === 'app.create')?.auditEvents;
      expect(first).toMatchObject({ teamId: team.id });
      expect(names).toContain(first?.target.name);
      // Another team's events never arrive: its app is created before a last one of ours, and
      // notifications arrive in commit order, so once ours is here the other one would have been too.
      await newApp(app);
      const last = await newApp(app, { team });
      await sub.waitFor(() => sub.values.some((v) => v.auditEvents.target.name === last.name));
      expect(sub.values.every((v) => v.auditEvents.teamId === team.id)).toBe(true);
    } finally {
      sub.dispose();
      await client.dispose();
      await other.close();
    }
  });

  it('refuses audit events to a developer (admins only)', async () => {
    const team = await newTeam(app);
    const developer = await newMember(app, team, 'developer');
    const client = wsClient(app.url, developer.token);
    const sub = subscribe(client, AUDIT, { team: team.name });
    try {
      await sub.waitFor(() => sub.errors.length > 0);
      expect(JSON.stringify(sub.errors)).toMatch(/FORBIDDEN/);
    } finally {
      await client.dispose();
    }
  });
});
