// The cluster registry over real HTTP, against real sandbox clusters: registration from every
// credential form, write-only credentials (answers, rows, audit and logs), health probes, cordon,
// If-Match, placement, delete guard and drain. Environments are placed through the environments API.
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { pino } from 'pino';
import { loadConfig } from '../../src/config/config.js';
import { ClusterProberService } from '../../src/modules/clusters/cluster-prober.service.js';
import { PlacementService } from '../../src/modules/clusters/placement.service.js';
import { AdminBootstrapService } from '../../src/modules/tokens/admin-bootstrap.service.js';
import { startSandboxCluster, type SandboxCluster } from '@berth/sandbox';
import { createServer } from '../../src/server.js';
import { createTestDatabase, sql } from '../support/database.js';
import { newApp, newMember, newTeam } from '../support/factories.js';
import { expectStatus, HttpClient } from '../support/http.js';
import { TEST_ENCRYPTION_KEY, type TestApp } from '../support/test-app.js';

interface Cluster {
  id: string;
  name: string;
  api_url: string;
  labels: Record<string, string>;
  sandbox: boolean;
  cordoned: boolean;
  ingress_class_name: string | null;
  health: { reachable: boolean; server_version: string | null; last_error: string | null; last_probed_at: string | null };
  environments: number;
  version: number;
  created_at: string;
  updated_at: string;
}

const SECRET_TOKEN = `tok-${randomBytes(12).toString('hex')}`;
const OTHER_SECRET = `tok-${randomBytes(12).toString('hex')}`;

/**
 * A Berth like createTestApp's, but logging everything (trace) into memory, so the test can show
 * that no credential is ever logged.
 */
async function startLoggedApp(): Promise<TestApp & { logs: string[] }> {
  const db = await createTestDatabase();
  const adminToken = `berth_${randomBytes(24).toString('base64url')}`;
  const config = loadConfig({
    LOG_LEVEL: 'trace',
    DATABASE_URL: db.url,
    BERTH_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
    BERTH_BOOTSTRAP_TOKEN: adminToken,
    PORT: '0',
    HOST: '127.0.0.1',
    // Probes happen when a test asks for them, not on a timer.
    BERTH_CLUSTER_PROBE_INTERVAL_MS: '3600000',
    BERTH_RESYNC_INTERVAL_MS: '3600000',
  });
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logs.push(chunk.toString());
      done();
    },
  });
  const logger = pino({ level: 'trace', base: { service: 'berth' } }, sink);
  const server = await createServer({ config, databaseUrl: db.url, encryptionKeys: config.encryptionKeys, logger });
  await server.app.get(AdminBootstrapService).run(config.bootstrapEmail, adminToken);
  await server.app.listen({ port: 0, host: '127.0.0.1' });
  const address = server.app.getHttpServer().address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  return {
    server,
    url,
    databaseUrl: db.url,
    adminToken,
    admin: new HttpClient(url, adminToken),
    anonymous: new HttpClient(url),
    logs,
    async close() {
      await server.close();
      await db.drop();
    },
  };
}

/** Two contexts: the current one points nowhere, `real` at the sandbox. */
function twoContextKubeconfig(sandbox: SandboxCluster): string {
  return `apiVersion: v1
kind: Config
clusters:
  - name: nowhere
    cluster: { server: "http://127.0.0.1:9" }
  - name: real
    cluster: { server: "${sandbox.url}", insecure-skip-tls-verify: true }
users:
  - name: u
    user: { token: "${OTHER_SECRET}" }
contexts:
  - name: nowhere
    context: { cluster: nowhere, user: u }
  - name: real
    context: { cluster: real, user: u }
current-context: nowhere
`;
}

describe('cluster registry', () => {
  let app: Awaited<ReturnType<typeof startLoggedApp>>;
  let plain: SandboxCluster;
  let spare: SandboxCluster;
  let guarded: SandboxCluster;
  const answers: string[] = [];
  /** Every answer the API gives in this file is kept, to search them all for credentials at the end. */
  const keep = <T extends { text: string }>(res: T): T => {
    answers.push(res.text);
    return res;
  };

  beforeAll(async () => {
    [plain, spare, guarded] = await Promise.all([
      startSandboxCluster({ name: 'plain' }),
      startSandboxCluster({ name: 'spare' }),
      startSandboxCluster({ name: 'guarded', token: SECRET_TOKEN }),
    ]);
    app = await startLoggedApp();
  });
  afterAll(async () => {
    await app?.close();
    await Promise.all([plain?.stop(), spare?.stop(), guarded?.stop()]);
  });

  it('registers from a kubeconfig (current or named context) and from server + token, and probes each', async () => {
    const fromKubeconfig = expectStatus(keep(await app.admin.post<Cluster>('/v1/clusters', { name: 'plain', kubeconfig: plain.kubeconfig, labels: { region: 'eu', 'berth.dev/tier': 'standard' }, ingress_class_name: 'nginx' })), 201).body;
    expect(Object.keys(fromKubeconfig).sort()).toEqual(['api_url', 'created_at', 'cordoned', 'environments', 'health', 'id', 'ingress_class_name', 'labels', 'name', 'sandbox', 'updated_at', 'version'].sort());
    expect(fromKubeconfig).toMatchObject({ name: 'plain', api_url: plain.url, labels: { region: 'eu', 'berth.dev/tier': 'standard' }, sandbox: false, cordoned: false, ingress_class_name: 'nginx', environments: 0 });
    expect(fromKubeconfig.health).toMatchObject({ reachable: true, last_error: null });
    expect(fromKubeconfig.health.server_version).toMatch(/^v1\.\d+/);
    expect(fromKubeconfig.health.last_probed_at).not.toBeNull();

    const withContext = expectStatus(keep(await app.admin.post<Cluster>('/v1/clusters', { name: 'spare', kubeconfig: twoContextKubeconfig(spare), context: 'real', labels: { region: 'eu' } })), 201).body;
    expect(withContext.api_url).toBe(spare.url);
    expect(withContext.health.reachable).toBe(true);

    const withToken = expectStatus(keep(await app.admin.post<Cluster>('/v1/clusters', { name: 'guarded', server: guarded.url, token: SECRET_TOKEN, insecure_skip_tls_verify: true, labels: { region: 'us' } })), 201).body;
    expect(withToken.health.reachable).toBe(true);
    expect(withToken.api_url).toBe(guarded.url);
  });

  it('still registers a cluster it cannot reach, marked unreachable with the error', async () => {
    const wrong = expectStatus(keep(await app.admin.post<Cluster>('/v1/clusters', { name: 'wrong-token', server: guarded.url, token: OTHER_SECRET, insecure_skip_tls_verify: true })), 201).body;
    expect(wrong.health.reachable).toBe(false);
    expect(wrong.health.server_version).toBeNull();
    expect(wrong.health.last_error).toMatch(/401|nauthori/);
    const nothing = expectStatus(keep(await app.admin.post<Cluster>('/v1/clusters', { name: 'nothing-there', server: 'http://127.0.0.1:9', token: OTHER_SECRET, insecure_skip_tls_verify: true })), 201).body;
    expect(nothing.health.reachable).toBe(false);
    expect(nothing.health.last_error).toEqual(expect.any(String));
  });

  it('refuses unusable, missing or ambiguous credentials and bad fields with a problem naming the field', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ name: 'bad', kubeconfig: 'this: [is not a kubeconfig' }, 'kubeconfig'],
      [{ name: 'bad', kubeconfig: plain.kubeconfig, context: 'no-such-context' }, 'kubeconfig'],
      [{ name: 'bad', kubeconfig: plain.kubeconfig, server: plain.url, token: 'x' }, 'kubeconfig'],
      [{ name: 'bad' }, 'server'],
      [{ name: 'bad', server: plain.url }, 'token'],
      [{ name: 'bad', server: plain.url, token: 'x', client_certificate_data: 'Y2VydA==', client_key_data: 'a2V5' }, 'token'],
      [{ name: 'bad', server: plain.url, client_certificate_data: 'Y2VydA==' }, 'client_key_data'],
      [{ name: 'bad', server: 'not a url', token: 'x' }, 'server'],
      [{ name: 'Not_A_Label', kubeconfig: plain.kubeconfig }, 'name'],
      [{ name: 'bad', kubeconfig: plain.kubeconfig, labels: { 'bad key!': 'x' } }, 'labels'],
      [{ name: 'bad', kubeconfig: plain.kubeconfig, labels: { ok: 'bad value!' } }, 'labels'],
    ];
    for (const [body, field] of cases) {
      const res = keep(await app.admin.post('/v1/clusters', body));
      expect({ body, status: res.status, field: (res.body as { field?: string }).field ?? JSON.stringify(res.body) }).toEqual({ body, status: 422, field: expect.stringContaining(field) });
    }
    // A YAML error is reported by position, without the lines around it (they may hold the token).
    const broken = keep(await app.admin.post('/v1/clusters', { name: 'bad', kubeconfig: `users:\n  - name: u\n    user:\n      token: ${SECRET_TOKEN}\n      bad: [\n` }));
    expect(broken.body).toMatchObject({ status: 422, field: 'kubeconfig' });
    expect(broken.text).not.toContain(SECRET_TOKEN);
    expect(keep(await app.admin.post('/v1/clusters', { name: 'plain', kubeconfig: plain.kubeconfig })).status).toBe(409);
    expect((await app.admin.get<{ items: Cluster[] }>('/v1/clusters?limit=100')).body.items.map((c) => c.name)).not.toContain('bad');
  });

  it('answers only platform admins', async () => {
    const team = await newTeam(app);
    const member = await newMember(app, team, 'owner');
    for (const client of [team.owner.client, member.client]) {
      expect((await client.get('/v1/clusters')).status).toBe(403);
      expect((await client.get('/v1/clusters/plain')).status).toBe(403);
      expect((await client.post('/v1/clusters', { name: 'mine', kubeconfig: plain.kubeconfig })).status).toBe(403);
      expect((await client.post('/v1/clusters/plain/cordon')).status).toBe(403);
      expect((await client.delete('/v1/clusters/plain')).status).toBe(403);
    }
    expect((await app.anonymous.get('/v1/clusters')).status).toBe(401);
  });

  it('lists with cursor pagination and finds a cluster by name or id', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: Cluster[]; next_cursor: string | null } = expectStatus(keep(await app.admin.get<{ items: Cluster[]; next_cursor: string | null }>(`/v1/clusters?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`)), 200).body;
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((c) => c.name));
      cursor = page.next_cursor;
    } while (cursor);
    expect(seen.sort()).toEqual(['guarded', 'nothing-there', 'plain', 'spare', 'wrong-token']);
    const byName = expectStatus(keep(await app.admin.get<Cluster>('/v1/clusters/guarded')), 200).body;
    expect(expectStatus(keep(await app.admin.get<Cluster>(`/v1/clusters/${byName.id}`)), 200).body.name).toBe('guarded');
    expect((await app.admin.get('/v1/clusters/no-such-cluster')).status).toBe(404);
  });

  it('changes labels and the ingress class, honouring If-Match', async () => {
    const res = keep(await app.admin.get<Cluster>('/v1/clusters/spare'));
    const etag = res.headers.get('etag');
    expect(etag).toBe(`"${res.body.version}"`);
    const updated = expectStatus(keep(await app.admin.patch<Cluster>('/v1/clusters/spare', { labels: { region: 'eu', gpu: 'yes' }, ingress_class_name: 'traefik' }, { headers: { 'if-match': etag! } })), 200).body;
    expect(updated).toMatchObject({ labels: { region: 'eu', gpu: 'yes' }, ingress_class_name: 'traefik', version: res.body.version + 1 });
    const stale = await app.admin.patch('/v1/clusters/spare', { labels: {} }, { headers: { 'if-match': etag! } });
    expect(stale.status).toBe(412);
    expect((await app.admin.get<Cluster>('/v1/clusters/spare')).body.labels).toEqual({ region: 'eu', gpu: 'yes' });
    expect((await app.admin.patch('/v1/clusters/spare', { labels: { 'x y': 'z' } })).status).toBe(422);
  });

  it('records a probe: a cluster that goes down is unreachable, and reachable again once it is back', async () => {
    await plain.faults.down();
    try {
      const down = expectStatus(keep(await app.admin.post<Cluster>('/v1/clusters/plain/probe')), 200).body;
      expect(down.health.reachable).toBe(false);
      expect(down.health.last_error).toEqual(expect.any(String));
    } finally {
      await plain.faults.up();
    }
    const up = expectStatus(keep(await app.admin.post<Cluster>('/v1/clusters/plain/probe')), 200).body;
    expect(up.health).toMatchObject({ reachable: true, last_error: null });
  });

  it('probes every cluster in parallel: a slow one delays no other, and is bounded by a timeout', async () => {
    const prober = app.server.app.get(ClusterProberService);
    const before = new Date();
    guarded.faults.set({ latencyMs: 8000 });
    try {
      const round = prober.probeAll();
      // The fast clusters are recorded while the slow one has not answered yet.
      const probedAt = async (name: string) => new Date((await app.admin.get<Cluster>(`/v1/clusters/${name}`)).body.health.last_probed_at!);
      for (let i = 0; i < 100 && !((await probedAt('plain')) > before && (await probedAt('spare')) > before); i += 1) await new Promise((r) => setTimeout(r, 50));
      expect((await probedAt('plain')) > before && (await probedAt('spare')) > before).toBe(true);
      expect((await probedAt('guarded')) > before).toBe(false);
      await round;
    } finally {
      guarded.faults.set({ latencyMs: 0 });
    }
    const slow = (await app.admin.get<Cluster>('/v1/clusters/guarded')).body;
    expect(slow.health.reachable).toBe(false);
    expect(slow.health.last_error).toMatch(/within/);
    expect(new Date(slow.health.last_probed_at!) > before).toBe(true);
    expect(expectStatus(await app.admin.post<Cluster>('/v1/clusters/guarded/probe'), 200).body.health.reachable).toBe(true);
  }, 30_000);

  it('places by explicit cluster or selector, never on a cordoned cluster', async () => {
    const placement = app.server.app.get(PlacementService);
    const idOf = async (name: string) => (await app.admin.get<Cluster>(`/v1/clusters/${name}`)).body.id;
    // eu: plain and spare, both reachable and empty: the name decides.
    expect(await placement.choose({ selector: { region: 'eu' } })).toBe(await idOf('plain'));
    expect(await placement.choose({ selector: { region: 'eu', gpu: 'yes' } })).toBe(await idOf('spare'));
    expect(await placement.choose({ explicitCluster: 'guarded' })).toBe(await idOf('guarded'));

    const cordoned = expectStatus(keep(await app.admin.post<Cluster>('/v1/clusters/plain/cordon')), 200).body;
    expect(cordoned.cordoned).toBe(true);
    try {
      expect(await placement.choose({ selector: { region: 'eu' } })).toBe(await idOf('spare'));
      await expect(placement.choose({ explicitCluster: 'plain' })).rejects.toMatchObject({ code: 'validation-failed', options: { field: 'cluster' } });
      await expect(placement.choose({ selector: { region: 'ap' } })).rejects.toMatchObject({ code: 'validation-failed', options: { field: 'cluster_selector' } });
      // The environments API refuses an explicit cordoned cluster too.
      const parent = await newApp(app);
      const refused = await parent.team.owner.client.post(`/v1/apps/${parent.name}/environments`, { name: 'pinned', cluster: 'plain' });
      expect(refused.body).toMatchObject({ status: 422, field: 'cluster' });
    } finally {
      expect(expectStatus(keep(await app.admin.post<Cluster>('/v1/clusters/plain/uncordon')), 200).body.cordoned).toBe(false);
    }
  });

  it('refuses to forget a cluster with environments; drain moves them (by selector, least loaded) and then it can go', async () => {
    const parent = await newApp(app);
    const owner = parent.team.owner.client;
    const create = async (name: string, body: Record<string, unknown>) =>
      expectStatus(await owner.post<{ id: string }>(`/v1/apps/${parent.name}/environments`, { name, ...body }), 201).body.id;
    const eu1 = await create('eu-one', { cluster: 'plain', cluster_selector: { region: 'eu' } });
    const eu2 = await create('eu-two', { cluster: 'plain', cluster_selector: { region: 'eu' } });
    const anywhere = await create('anywhere', { cluster: 'plain' });
    const stuck = await create('stuck', { cluster: 'plain', cluster_selector: { region: 'mars' } });
    expect(expectStatus(await app.admin.get<Cluster>('/v1/clusters/plain'), 200).body.environments).toBe(4);

    const refused = keep(await app.admin.delete('/v1/clusters/plain'));
    expect(refused.status).toBe(409);

    const generations = async () => new Map((await sql<{ id: string; desired_generation: number; cluster: string | null }>(app.databaseUrl,
      'SELECT e.id, e.desired_generation, c.name AS cluster FROM environments e LEFT JOIN clusters c ON c.id = e.cluster_id')).map((r) => [r.id, r]));
    const before = await generations();
    const drained = expectStatus(keep(await app.admin.post<{ moved: number; stranded: number; cluster: Cluster }>('/v1/clusters/plain/drain')), 200).body;
    expect(drained).toMatchObject({ moved: 3, stranded: 1, cluster: { name: 'plain', cordoned: true, environments: 1 } });
    const after = await generations();
    // eu → spare (the only other eu cluster); no selector → the least loaded reachable cluster.
    expect(after.get(eu1)!.cluster).toBe('spare');
    expect(after.get(eu2)!.cluster).toBe('spare');
    expect(after.get(stuck)!.cluster).toBe('plain');
    expect(['guarded', 'spare']).toContain(after.get(anywhere)!.cluster);
    for (const id of [eu1, eu2, anywhere]) expect(after.get(id)!.desired_generation).toBeGreaterThan(before.get(id)!.desired_generation);
    expect(after.get(stuck)!.desired_generation).toBe(before.get(stuck)!.desired_generation);

    // The stranded one keeps the cluster from going until it is moved or deleted.
    expect((await app.admin.delete('/v1/clusters/plain')).status).toBe(409);
    await sql(app.databaseUrl, 'DELETE FROM environments WHERE id = $1', [stuck]);
    expectStatus(keep(await app.admin.delete('/v1/clusters/plain')), 204);
    expect((await app.admin.get('/v1/clusters/plain')).status).toBe(404);
  });

  it('never returns, stores in clear, audits or logs a credential', async () => {
    answers.push((await app.admin.get('/v1/clusters?limit=100')).text);
    for (const name of ['spare', 'guarded', 'wrong-token']) answers.push((await app.admin.get(`/v1/clusters/${name}`)).text);
    const everything = answers.join('\n');
    for (const secret of [SECRET_TOKEN, OTHER_SECRET, 'current-context']) expect(everything).not.toContain(secret);

    const rows = JSON.stringify(await sql(app.databaseUrl, 'SELECT * FROM clusters'));
    const audit = JSON.stringify(await sql(app.databaseUrl, `SELECT * FROM audit_events`));
    expect(audit).toContain('cluster.register');
    const logs = app.logs.join('');
    expect(logs.length).toBeGreaterThan(0);
    for (const where of [rows, audit, logs]) {
      for (const secret of [SECRET_TOKEN, OTHER_SECRET, 'current-context']) expect(where).not.toContain(secret);
    }
  });
});
