import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { MetricsService } from '../../src/common/metrics/metrics.service.js';
import { OperationNames } from '../../src/graphql/metrics/operation-metrics.js';
import { newApp, newTeam } from '../support/factories.js';
import { expectStatus, HttpClient } from '../support/http.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { lockTable } from './hold-request.js';

/** The value of one sample line, e.g. sample(text, 'berth_queue_depth'). */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('metrics', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(async () => {
    await app.close();
  });

  const scrape = async (client: HttpClient = app.anonymous) => expectStatus(await client.get<string>('/metrics'), 200);

  it('serves the Prometheus text format without a token, with process metrics and every Berth instrument', async () => {
    const res = await scrape();
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(res.headers.get('ratelimit-limit')).toBeNull();
    for (const name of [
      'process_cpu_user_seconds_total',
      'process_resident_memory_bytes',
      'nodejs_eventloop_lag_seconds',
      'berth_http_request_duration_seconds',
      'berth_http_requests_in_flight',
      'berth_kube_requests_total',
      'berth_kube_request_duration_seconds',
      'berth_queue_depth',
      'berth_queue_oldest_age_seconds',
      'berth_reconcile_total',
      'berth_release_duration_seconds',
      'berth_drift_repairs_total',
      'berth_rate_limited_total',
      'berth_audit_events_total',
      'berth_graphql_operation_duration_seconds',
      'berth_graphql_query_executions_total',
    ]) {
      expect(res.text).toContain(`# TYPE ${name} `);
    }
  });

  it('labels request durations with the route template and status, never the raw path', async () => {
    const created = await newApp(app);
    expectStatus(await created.team.owner.client.get(`/v1/apps/${created.name}`), 200);
    expectStatus(await created.team.owner.client.get('/v1/apps/no-such-app'), 404);
    expectStatus(await app.admin.get('/v1/nothing-here/abc123'), 404);
    const text = (await scrape()).text;
    expect(sample(text, 'berth_http_request_duration_seconds_count{method="GET",route="/v1/apps/:app",status="200"}')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'berth_http_request_duration_seconds_count{method="GET",route="/v1/apps/:app",status="404"}')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'berth_http_request_duration_seconds_count{method="POST",route="/v1/apps",status="201"}')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'berth_http_request_duration_seconds_count{method="GET",route="unmatched",status="404"}')).toBeGreaterThanOrEqual(1);
    expect(text).not.toContain(created.name);
    expect(text).not.toContain('no-such-app');
    expect(text).not.toContain('abc123');
  });

  it('labels GraphQL operations by type and name, collapsing anonymous and malformed names', async () => {
    const team = await newTeam(app);
    const gql = (body: unknown) => team.owner.client.post('/graphql', body);
    expectStatus(await gql({ query: 'query PortalHome { me { email } }' }), 200);
    expectStatus(await gql({ query: '{ me { email } }' }), 200);
    expectStatus(await gql({ query: 'mutation Rename($t: String!) { updateTeam(input: { team: $t, displayName: "R" }) { team { version } } }', variables: { t: team.name } }), 200);
    const text = (await scrape()).text;
    expect(sample(text, 'berth_graphql_operation_duration_seconds_count{type="query",operation="PortalHome",outcome="ok"}')).toBe(1);
    expect(sample(text, 'berth_graphql_operation_duration_seconds_count{type="query",operation="anonymous",outcome="ok"}')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'berth_graphql_operation_duration_seconds_count{type="mutation",operation="Rename",outcome="ok"}')).toBe(1);
    // The label set stays bounded whatever names callers invent.
    const names = new OperationNames(2);
    expect(['A', 'B', 'C', 'A', null, 'x'.repeat(65)].map((n) => names.label(n))).toEqual(['A', 'B', 'other', 'A', 'anonymous', 'invalid']);
  });

  it('counts requests in flight, and forgets them once answered', async () => {
    // The scrape itself is in flight while it renders.
    expect(sample((await scrape()).text, 'berth_http_requests_in_flight')).toBe(1);
    const team = await newTeam(app);
    const lock = await lockTable(app.databaseUrl, 'teams');
    let held: Promise<unknown> | undefined;
    try {
      held = Promise.all([team.owner.client.get(`/v1/teams/${team.name}`), team.owner.client.get(`/v1/teams/${team.name}`)]);
      await lock.waitForWaiters(2);
      expect(sample((await scrape()).text, 'berth_http_requests_in_flight')).toBe(3);
    } finally {
      await lock.release();
    }
    const answers = (await held) as Array<{ status: number }>;
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    expect(sample((await scrape()).text, 'berth_http_requests_in_flight')).toBe(1);
  });

  it('exposes typed instruments to other modules: Kubernetes calls, queue gauges read at scrape time', async () => {
    const metrics = app.server.app.get(MetricsService);
    metrics.observeKubeRequest({ cluster: 'eu-1', verb: 'patch', code: 200 }, 0.02);
    metrics.observeKubeRequest({ cluster: 'eu-1', verb: 'patch', code: 'error' }, 1.5);
    metrics.reconcile.inc({ outcome: 'converged' });
    metrics.releaseDuration.observe({ outcome: 'succeeded' }, 42);
    metrics.driftRepairs.inc({ kind: 'Deployment' });
    metrics.auditEvents.inc({ outcome: 'recorded' });
    let calls = 0;
    const unregister = metrics.registerQueueStats(async () => {
      calls += 1;
      return { depth: 7, oldestAgeSeconds: 12.5 };
    });
    const text = (await scrape()).text;
    unregister();
    expect(sample(text, 'berth_kube_requests_total{cluster="eu-1",verb="patch",code="200"}')).toBe(1);
    expect(sample(text, 'berth_kube_requests_total{cluster="eu-1",verb="patch",code="error"}')).toBe(1);
    expect(sample(text, 'berth_kube_request_duration_seconds_count{cluster="eu-1",verb="patch"}')).toBe(2);
    expect(sample(text, 'berth_reconcile_total{outcome="converged"}')).toBe(1);
    expect(sample(text, 'berth_release_duration_seconds_sum{outcome="succeeded"}')).toBe(42);
    expect(sample(text, 'berth_drift_repairs_total{kind="Deployment"}')).toBe(1);
    expect(sample(text, 'berth_audit_events_total{outcome="recorded"}')).toBe(1);
    expect(sample(text, 'berth_queue_depth')).toBe(7);
    expect(sample(text, 'berth_queue_oldest_age_seconds')).toBe(12.5);
    // Both gauges share one read of the source per scrape.
    expect(calls).toBe(1);
  });

  it('keeps a registry per application: a second Berth in the same process counts on its own', async () => {
    const other = await createTestApp();
    try {
      app.server.app.get(MetricsService).driftRepairs.inc({ kind: 'OnlyInFirst' });
      const text = (await scrape(other.anonymous)).text;
      expect(text).toContain('# TYPE berth_http_requests_in_flight gauge');
      expect(text).not.toContain('OnlyInFirst');
      expect(other.server.app.get(MetricsService).registry).not.toBe(app.server.app.get(MetricsService).registry);
    } finally {
      await other.close();
    }
  });

  it('requires BERTH_METRICS_TOKEN as a bearer token when it is set', async () => {
    const token = 'metrics-secret-0123456789';
    const guarded = await createTestApp({ env: { BERTH_METRICS_TOKEN: token } });
    try {
      const none = await guarded.anonymous.get('/metrics');
      expect(none.status).toBe(401);
      expect(none.headers.get('content-type')).toMatch(/application\/problem\+json/);
      expect(none.headers.get('www-authenticate')).toMatch(/Bearer/);
      expect((await guarded.anonymous.as('metrics-secret-wrong-value').get('/metrics')).status).toBe(401);
      // A Berth API token is not the metrics token.
      expect((await guarded.admin.get('/metrics')).status).toBe(401);
      const ok = expectStatus(await guarded.anonymous.as(token).get<string>('/metrics'), 200);
      expect(ok.text).toContain('berth_http_requests_in_flight');
    } finally {
      await guarded.close();
    }
  });
});
