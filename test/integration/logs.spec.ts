// Logs of an environment: a container that is not running is a 409 naming its state (never a 500),
// `previous` reads the last terminated instance, and lines can carry their timestamps.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { SandboxCluster } from '@berth/sandbox';
import { newEnvironment, type TestEnvironment } from '../support/factories.js';
import { expectStatus } from '../support/http.js';
import { eventually, newSandbox, registerCluster } from '../support/sandbox.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

interface LogEvent {
  pod: string;
  process_type: string;
  line: string;
  time?: string;
}

describe('environment logs', () => {
  let app: TestApp;
  let cluster: SandboxCluster;

  beforeAll(async () => {
    cluster = await newSandbox('logs');
    app = await createTestApp({ env: { BERTH_RESYNC_INTERVAL_MS: '3600000', BERTH_CLUSTER_PROBE_INTERVAL_MS: '3600000' } });
    await registerCluster(app, cluster);
  });
  afterAll(async () => {
    await app.close();
    await cluster.stop();
  });

  const logs = (env: TestEnvironment, query: string) => fetch(`${app.url}${env.path}/logs?${query}`, { headers: { authorization: `Bearer ${env.app.team.owner.token}` } });
  const events = async (res: Response): Promise<LogEvent[]> =>
    (await res.text())
      .split('\n\n')
      .filter((e) => e.startsWith('data: '))
      .map((e) => JSON.parse(e.slice(6)) as LogEvent);

  async function deploy(name: string, image: string, until: (env: TestEnvironment) => Promise<boolean>): Promise<TestEnvironment> {
    const env = await newEnvironment(app, { name });
    expectStatus(await env.app.team.owner.client.post(`${env.path}/releases`, { image }), 201);
    await eventually(async () => ((await until(env)) ? true : undefined), `${name} to reach the state under test`, 300, 50);
    return env;
  }

  it('answers 409 naming the waiting state of a container that cannot start, with and without follow', async () => {
    // Until the pod exists the answer is an empty stream or "not running on a cluster yet".
    const env = await deploy('pull', 'example.com/fail-pull:1', async (e) => {
      const res = await logs(e, 'tail=5');
      const text = await res.text();
      return res.status === 200 ? text.includes('data: ') : !text.includes('not running on a cluster');
    });
    for (const query of ['follow=true', 'tail=5']) {
      const res = await logs(env, query);
      expect(res.status).toBe(409);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      const problem = (await res.json()) as { detail: string };
      expect(problem.detail).toMatch(/^pod web-[a-z0-9-]+: container "web" is waiting: (ImagePullBackOff|ErrImagePull) \(/);
    }
  });

  it('reads the previous instance of a crashed container, and says when there is none', async () => {
    // Before its pod exists the answer is an empty 200 too: wait for the previous instance's lines.
    const crashed = await deploy('crash', 'example.com/crash:1', async (e) => (await events(await logs(e, 'previous=true'))).length > 0);
    const lines = await events(await logs(crashed, 'previous=true'));
    expect(lines.map((l) => l.line)).toContain('panic: simulated crash (the image name contains "crash")');
    const healthy = await deploy('healthy', 'example.com/app:1', async (e) => (await events(await logs(e, 'tail=1'))).length > 0);
    const none = await logs(healthy, 'previous=true');
    expect(none.status).toBe(409);
    expect(((await none.json()) as { detail: string }).detail).toMatch(/has no previous terminated instance/);
  });

  it('gives each line its timestamp when asked, and refuses a bad since_seconds', async () => {
    const env = await deploy('stamped', 'example.com/app:1', async (e) => (await events(await logs(e, 'tail=1'))).length > 0);
    const lines = await events(await logs(env, 'timestamps=true&tail=3'));
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      expect(line.time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d+Z$/);
      expect(line.line).not.toMatch(/^\d{4}-/);
    }
    const plain = await events(await logs(env, 'tail=1'));
    expect(plain[0]?.time).toBeUndefined();
    const bad = await logs(env, 'since_seconds=0');
    expect(bad.status).toBe(422);
  });
});
