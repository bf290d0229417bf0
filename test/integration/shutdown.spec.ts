// Graceful shutdown on a real Berth: requests in flight (held in Postgres by a table lock, see
// hold-request.ts) finish with 2xx while new connections are refused; then drainers run in order,
// then the pool closes. The deadline cuts what does not finish. main.ts is checked with a real SIGTERM.
import { spawn } from 'node:child_process';
import { createServer as createNetServer } from 'node:net';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { MetricsService } from '../../src/common/metrics/metrics.service.js';
import { HealthService } from '../../src/modules/health/health.service.js';
import { ShutdownDrainers } from '../../src/lifecycle/drainers.js';
import { shutdown } from '../../src/lifecycle/shutdown.js';
import { createTestDatabase, sql } from '../support/database.js';
import { newTeam } from '../support/factories.js';
import { createTestApp, TEST_ENCRYPTION_KEY } from '../support/test-app.js';
import { lockTable } from './hold-request.js';

/** Rejects with the connection error code when nothing listens. */
async function connectionError(url: string): Promise<string | undefined> {
  try {
    await fetch(`${url}/healthz`);
    return undefined;
  } catch (error) {
    return ((error as { cause?: { code?: string } }).cause?.code) ?? String(error);
  }
}

/** Connections to the database other than this query's: the app's pools, once closed, hold none. */
async function otherConnections(databaseUrl: string): Promise<number> {
  const rows = await sql<{ n: number }>(databaseUrl, 'SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()');
  return rows[0]!.n;
}

async function until(check: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await check())) await new Promise((resolve) => setTimeout(resolve, 10));
}

describe('graceful shutdown', () => {
  it('fails readiness, refuses new connections, finishes in-flight requests, runs drainers in order, then closes the pool', async () => {
    const app = await createTestApp();
    const team = await newTeam(app);
    const order: string[] = [];
    const drainers = app.server.app.get(ShutdownDrainers);
    const inFlight = app.server.app.get(MetricsService).httpRequestsInFlight;
    let inFlightWhenDrainersRan: number | undefined;
    drainers.register({
      name: 'first',
      drain: async () => {
        inFlightWhenDrainersRan = (await inFlight.get()).values[0]?.value;
        order.push('first');
      },
    });
    drainers.register({ name: 'second', drain: async () => void order.push('second') });
    const removed = drainers.register({ name: 'removed', drain: async () => void order.push('removed') });
    removed();

    const lock = await lockTable(app.databaseUrl, 'teams');
    const answers = [0, 1, 2].map(() => {
      const entry: { done: boolean; promise: Promise<{ status: number; connection: string | null }> } = { done: false, promise: undefined! };
      entry.promise = team.owner.client.get(`/v1/teams/${team.name}`).then((res) => {
        entry.done = true;
        return { status: res.status, connection: res.headers.get('connection') };
      });
      return entry;
    });
    let result;
    try {
      await lock.waitForWaiters(3);
      const stopping = shutdown(app.server, { timeoutMs: 60_000, reason: 'test' });
      await expect(app.server.app.get(HealthService).ready()).rejects.toMatchObject({ code: 'unavailable' });
      await until(() => !app.server.app.getHttpServer().listening);
      expect(await connectionError(app.url)).toBe('ECONNREFUSED');
      expect(answers.some((a) => a.done)).toBe(false);
      expect(order).toEqual([]);
      await lock.release();
      result = await stopping;
    } finally {
      await lock.release();
    }
    const finished = await Promise.all(answers.map((a) => a.promise));
    expect(finished.map((f) => f.status)).toEqual([200, 200, 200]);
    // Kept-alive connections end with their last answer instead of lingering.
    expect(finished.map((f) => f.connection)).toEqual(['close', 'close', 'close']);
    expect(result).toEqual({ timedOut: false, failedDrainers: [] });
    expect(order).toEqual(['first', 'second']);
    expect(inFlightWhenDrainersRan).toBe(0);
    await until(async () => (await otherConnections(app.databaseUrl)) === 0);
    // A second call is the same shutdown, not a second one.
    await expect(shutdown(app.server, { timeoutMs: 1 })).resolves.toBe(result);
    await app.close();
  });

  it('is bounded by the deadline: cuts requests that do not finish, skips drainers, and still closes everything', async () => {
    const app = await createTestApp();
    const team = await newTeam(app);
    let drained = false;
    app.server.app.get(ShutdownDrainers).register({ name: 'queue', drain: async () => void (drained = true) });
    const lock = await lockTable(app.databaseUrl, 'teams');
    try {
      const held = team.owner.client.get(`/v1/teams/${team.name}`).then(
        (res) => res.status,
        () => 'connection cut' as const,
      );
      await lock.waitForWaiters(1);
      // The lock outlives the deadline: the request cannot finish, nor can its database query.
      const result = await shutdown(app.server, { timeoutMs: 300, reason: 'test' });
      // Drainers registered by Berth itself (the work queue) are skipped too.
      expect(result.timedOut).toBe(true);
      expect(result.failedDrainers).toContain('queue');
      expect(await held).toBe('connection cut');
      expect(drained).toBe(false);
      expect(app.server.app.getHttpServer().listening).toBe(false);
    } finally {
      await lock.release();
    }
    await app.close();
  });

  it('aborts a drainer that outlives the deadline and skips the ones after it', async () => {
    // Without workers Berth registers no drainer that needs time (the cluster leases' one hands
    // clusters over through the database, which on a loaded machine can outlast a short deadline),
    // so the deadline falls inside the stuck drainer whatever the machine's speed.
    const app = await createTestApp({ env: { BERTH_WORKERS_ENABLED: 'false' } });
    let aborted = false;
    let laterRan = false;
    const drainers = app.server.app.get(ShutdownDrainers);
    drainers.register({
      name: 'stuck',
      drain: (signal) =>
        new Promise<void>(() => {
          signal.addEventListener('abort', () => (aborted = true));
        }),
    });
    drainers.register({ name: 'later', drain: async () => void (laterRan = true) });
    const result = await shutdown(app.server, { timeoutMs: 1000, reason: 'test' });
    expect(result).toEqual({ timedOut: true, failedDrainers: ['stuck', 'later'] });
    expect(aborted).toBe(true);
    expect(laterRan).toBe(false);
    await until(async () => (await otherConnections(app.databaseUrl)) === 0);
    await app.close();
  });

  it('main.ts: SIGTERM drains an in-flight request, refuses new connections and exits 0', async () => {
    const db = await createTestDatabase();
    const port = await freePort();
    const token = `berth_${randomBytes(24).toString('base64url')}`;
    const child = spawn(process.execPath, ['dist/src/main.js'], {
      env: {
        PATH: process.env.PATH,
        DATABASE_URL: db.url,
        PORT: String(port),
        HOST: '127.0.0.1',
        BERTH_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
        BERTH_BOOTSTRAP_TOKEN: token,
        BERTH_WORKERS_ENABLED: 'false',
        BERTH_SANDBOX_WHEN_EMPTY: 'false',
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const url = `http://127.0.0.1:${port}`;
    try {
      await until(() => output.includes('Berth is listening') || child.exitCode !== null);
      // On a failed start, show why.
      expect(child.exitCode === null ? '' : output).toBe('');
      const lock = await lockTable(db.url, 'users');
      try {
        const held = fetch(`${url}/v1/users`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.status);
        await lock.waitForWaiters(1);
        child.kill('SIGTERM');
        await until(async () => (await connectionError(url)) === 'ECONNREFUSED');
        expect(child.exitCode).toBeNull();
        await lock.release();
        expect(await held).toBe(200);
      } finally {
        await lock.release();
      }
      expect(await exited).toBe(0);
      expect(output).toContain('"msg":"shut down"');
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      await db.drop();
    }
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createNetServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
