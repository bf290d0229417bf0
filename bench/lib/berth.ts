// Berth under test: in process (createServer, as the tests do) or as a child process
// (`node dist/src/main.js`) when its memory must be measured on its own.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/config.js';
import { AdminBootstrapService } from '../../src/modules/tokens/admin-bootstrap.service.js';
import { createLogger, createServer, type BerthServer, type CreateApp } from '../../src/server.js';
import { repoRoot } from './postgres.js';

export const BENCH_ENCRYPTION_KEY = Buffer.alloc(32, 9).toString('base64');

export interface BerthEnv {
  [name: string]: string;
}

export interface InProcessBerth {
  server: BerthServer;
  url: string;
  adminToken: string;
  api: Api;
  close(): Promise<void>;
}

function baseEnv(databaseUrl: string, adminToken: string, env: BerthEnv): BerthEnv {
  return {
    LOG_LEVEL: process.env.BENCH_INPROCESS_LOG_LEVEL ?? 'silent',
    DATABASE_URL: databaseUrl,
    BERTH_ENCRYPTION_KEY: BENCH_ENCRYPTION_KEY,
    BERTH_BOOTSTRAP_TOKEN: adminToken,
    BERTH_SANDBOX_WHEN_EMPTY: 'false',
    BERTH_RESYNC_INTERVAL_MS: '3600000',
    HOST: '127.0.0.1',
    ...env,
  };
}

export function newToken(): string {
  return `berth_${randomBytes(24).toString('base64url')}`;
}

export interface StartOptions {
  /** Builds the application with substituted providers (e.g. withoutTrust from ./without-trust.js). */
  createApp?: CreateApp;
}

export async function startBerth(databaseUrl: string, env: BerthEnv = {}, adminToken = newToken(), options: StartOptions = {}): Promise<InProcessBerth> {
  const config = loadConfig({ ...baseEnv(databaseUrl, adminToken, env), PORT: '0' });
  const server = await createServer({ config, databaseUrl, encryptionKeys: config.encryptionKeys, logger: createLogger(config.logLevel), createApp: options.createApp });
  await server.app.get(AdminBootstrapService).run(config.bootstrapEmail, adminToken);
  await server.app.listen({ port: 0, host: '127.0.0.1' });
  const address = server.app.getHttpServer().address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  return { server, url, adminToken, api: new Api(url, adminToken), close: () => server.close() };
}

export interface ChildBerth {
  pid: number;
  url: string;
  adminToken: string;
  api: Api;
  /** Peak resident set (VmHWM) so far, in MiB. */
  peakRssMiB(): number;
  stop(): Promise<void>;
}

/**
 * Runs `node dist/src/main.js` (built by `npm run bench`) with its own RSS. BENCH_BERTH_NODE_ARGS
 * adds Node options to it, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" to profile a row.
 */
export async function spawnBerth(databaseUrl: string, port: number, env: BerthEnv = {}, adminToken = newToken()): Promise<ChildBerth> {
  const child: ChildProcess = spawn(process.execPath, [...(process.env.BENCH_BERTH_NODE_ARGS ?? '').split(' ').filter(Boolean), join(repoRoot(), 'dist/src/main.js')], {
    env: { ...process.env, ...baseEnv(databaseUrl, adminToken, env), PORT: String(port), LOG_LEVEL: env.LOG_LEVEL ?? (process.env.BENCH_BERTH_LOG ? (process.env.BENCH_BERTH_LOG_LEVEL ?? 'info') : 'warn') },
    // BENCH_BERTH_LOG=<file> keeps the child's (JSON) log, at BENCH_BERTH_LOG_LEVEL (default info).
    stdio: ['ignore', process.env.BENCH_BERTH_LOG ? openSync(process.env.BENCH_BERTH_LOG, 'a') : 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  const pid = child.pid!;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  for (let i = 0; ; i += 1) {
    if (child.exitCode !== null) throw new Error(`berth exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    // Generous: a loaded 2-core machine has taken over a minute to start a Berth under --cpu-prof.
    if (i > 1800) throw new Error('berth did not start within 180 s');
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    pid,
    url,
    adminToken,
    api: new Api(url, adminToken),
    peakRssMiB: () => {
      const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      return m ? Number(m[1]) / 1024 : Number.NaN;
    },
    async stop() {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** A small JSON client for setting things up through the API. */
export class Api {
  constructor(
    readonly url: string,
    readonly token: string,
  ) {}

  async call<T>(method: string, path: string, body?: unknown, expect: number[] = [200, 201, 202, 204]): Promise<T> {
    const res = await fetch(`${this.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${this.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!expect.includes(res.status)) throw new Error(`${method} ${path} → ${res.status}: ${text.slice(0, 300)}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  as(token: string): Api {
    return new Api(this.url, token);
  }
}

/** A user (platform admin) with a token, a team and an app: what the HTTP rows read. */
export async function seedApp(api: Api, name: string): Promise<{ token: string; team: string; app: string }> {
  const email = `${name}@bench.local`;
  const user = await api.call<{ id: string }>('POST', '/v1/users', { email, name, platform_admin: false });
  const { token } = await api.call<{ token: string }>('POST', '/v1/tokens', { user_id: user.id, description: 'bench' });
  const owner = api.as(token);
  const team = await owner.call<{ name: string }>('POST', '/v1/teams', { name: `${name}-team` });
  const app = await owner.call<{ name: string }>('POST', '/v1/apps', { name: `${name}-app`, team: team.name });
  return { token, team: team.name, app: app.name };
}
