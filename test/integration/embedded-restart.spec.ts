// `npm start` restarted on the same data folder (the embedded database and the sandbox cluster):
// the same token works, and what Berth applied before is verified again at start — not trusted as
// recorded, not left for the next resync (an hour away here).
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { eventually } from '../support/sandbox.js';
import { freePort } from '../support/postgres-server.mjs';

const run = promisify(execFile);

describe('restarting Berth on the embedded default', () => {
  const dir = mkdtempSync(join(tmpdir(), 'berth-restart-'));
  let berth: ChildProcessWithoutNullStreams | undefined;
  let output = '';

  async function start(port: number): Promise<void> {
    const env: NodeJS.ProcessEnv = { ...process.env, BERTH_DATA_DIR: join(dir, '.berth'), PORT: String(port), LOG_FORMAT: 'json', BERTH_RESYNC_INTERVAL_MS: '3600000' };
    for (const name of ['DATABASE_URL', 'BERTH_BOOTSTRAP_TOKEN', 'BERTH_ENCRYPTION_KEY', 'HOST', 'LOG_LEVEL', 'NODE_OPTIONS']) delete env[name];
    output = '';
    const child = spawn(process.execPath, [join(process.cwd(), 'dist/src/main.js')], { cwd: dir, env });
    berth = child;
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await eventually(
      async () => {
        if (child.exitCode !== null) throw new Error(`Berth exited with ${child.exitCode}`);
        return (await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => undefined))?.ok ? true : undefined;
      },
      'Berth to be ready',
      1200,
      100,
    ).catch((error: unknown) => {
      throw new Error(`${String(error)}\n${output.slice(-3000)}`);
    });
  }

  async function stop(): Promise<void> {
    const child = berth;
    if (!child || child.exitCode !== null) return;
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
  }

  afterAll(async () => {
    await stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps the token and re-applies to the sandbox cluster at start', async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    await start(port);
    const token = /(berth_[A-Za-z0-9_-]{24,})/.exec(output)?.[1];
    expect(token).toBeDefined();
    const call = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${base}${path}`, { method, headers: { authorization: `Bearer ${token!}`, ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}) });
      return { status: res.status, body: (await res.json().catch(() => ({}))) as Record<string, unknown> };
    };
    expect((await call('POST', '/v1/teams', { name: 'restarts' })).status).toBe(201);
    expect((await call('POST', '/v1/apps', { name: 'again', team: 'restarts' })).status).toBe(201);
    expect((await call('POST', '/v1/apps/again/environments', { name: 'web' })).status).toBe(201);
    expect((await call('POST', '/v1/apps/again/environments/web/releases', { image: 'example.com/again:1' })).status).toBe(201);
    const phase = async () => ((await call('GET', '/v1/apps/again/environments/web/releases/1')).body['status'] as { phase?: string } | undefined)?.phase;
    await eventually(async () => ((await phase()) === 'succeeded' ? true : undefined), 'the first deploy', 600, 100);

    await stop();
    await start(port);
    expect(output).not.toMatch(/Its API token/); // minted once, never again
    expect((await call('GET', '/v1/users/me')).status).toBe(200);
    const kubeconfig = join(dir, '.berth', 'sandbox-not-a-real-cluster.kubeconfig');
    expect(readFileSync(kubeconfig, 'utf8')).toMatch(/server:/);
    // The Deployment is on the (restarted) sandbox cluster within moments, with the resync an hour away.
    const image = await eventually(async () => {
      const { stdout } = await run('kubectl', ['--kubeconfig', kubeconfig, 'get', 'deployment', 'web', '-n', 'again-web', '-o', 'jsonpath={.spec.template.spec.containers[0].image}']).catch(() => ({ stdout: '' }));
      return stdout || undefined;
    }, 'the deployment on the sandbox after the restart', 300, 100);
    expect(image).toBe('example.com/again:1');
    expect(await phase()).toBe('succeeded');
  }, 300_000);
});
