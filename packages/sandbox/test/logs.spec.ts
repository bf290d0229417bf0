// pods/<name>/log answers as kube-apiserver 1.32 with a kubelet behind it does.
import type { SandboxCluster } from '../src/index.js';
import { at, fastCluster, http, kubectl, waitFor } from './helpers.js';

let c: SandboxCluster;
const PODS = '/api/v1/namespaces/logs/pods';

beforeAll(async () => {
  c = await fastCluster({ name: 'logs' });
  expect((await http(c, 'POST', '/api/v1/namespaces', { metadata: { name: 'logs' } })).status).toBe(201);
  for (const [name, image] of [
    ['ok', 'example.com/app:1'],
    ['pull', 'example.com/fail-pull:1'],
    ['crashy', 'example.com/crash:1'],
  ]) {
    expect((await http(c, 'POST', PODS, { metadata: { name }, spec: { containers: [{ name: 'web', image }] } })).status).toBe(201);
  }
  await waitFor(async () => at((await http(c, 'GET', `${PODS}/ok`)).body, 'status.containerStatuses.0.state.running'), 'ok running');
  await waitFor(async () => at((await http(c, 'GET', `${PODS}/pull`)).body, 'status.containerStatuses.0.state.waiting'), 'pull waiting');
  await waitFor(async () => Number(at((await http(c, 'GET', `${PODS}/crashy`)).body, 'status.containerStatuses.0.restartCount') ?? 0) >= 1, 'crashy restarted');
});
afterAll(() => c.stop());

const log = (pod: string, query = '') => http(c, 'GET', `${PODS}/${pod}/log${query ? `?${query}` : ''}`);

describe('pod logs', () => {
  it('refuses a container waiting to start with the kubelet message, with and without follow', async () => {
    for (const query of ['', 'follow=true']) {
      const r = await log('pull', query);
      expect(r.status).toBe(400);
      expect(r.body).toMatchObject({ kind: 'Status', reason: 'BadRequest', message: 'container "web" in pod "pull" is waiting to start: trying and failing to pull image' });
    }
  });

  it('serves the previous instance only when there was one', async () => {
    const none = await log('ok', 'previous=true');
    expect(none.status).toBe(400);
    expect(none.body['message']).toBe('previous terminated container "web" in pod "ok" not found');
    const previous = await log('crashy', 'previous=true');
    expect(previous.status).toBe(200);
    expect(previous.text).toContain('panic: simulated crash');
  });

  it('applies tailLines, limitBytes, timestamps, sinceTime and sinceSeconds', async () => {
    expect((await log('ok', 'tailLines=1')).text.trimEnd().split('\n')).toHaveLength(1);
    expect((await log('ok', 'limitBytes=7')).text).toBe('Startin');
    const stamped = (await log('ok', 'timestamps=true&tailLines=2')).text.trimEnd().split('\n');
    for (const line of stamped) expect(line).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{9}Z \S/);
    expect((await log('ok', `sinceTime=${new Date(Date.now() + 60_000).toISOString()}`)).text).toBe('');
    expect((await log('ok', 'sinceSeconds=3600')).text).toContain('Starting web');
  });

  it('validates the options as the API server does', async () => {
    const negative = await log('ok', 'tailLines=-1');
    expect(negative.status).toBe(422);
    expect(negative.body['message']).toBe('PodLogOptions "ok" is invalid: tailLines: Invalid value: -1: must be greater than or equal to 0');
    expect((await log('ok', 'limitBytes=0')).status).toBe(422);
    expect((await log('ok', `sinceSeconds=5&sinceTime=${new Date().toISOString()}`)).status).toBe(422);
    expect((await log('ok', 'previous=yes')).status).toBe(400);
    expect((await log('ok', 'previous=True')).status).toBe(400); // no previous instance, but True parses
  });

  it('answers kubectl logs --previous, and kubectl shows the waiting message', async () => {
    const previous = await kubectl(c, ['logs', '-n', 'logs', 'crashy', '--previous']);
    expect(previous.stdout).toContain('panic: simulated crash');
    const waiting = await kubectl(c, ['logs', '-n', 'logs', 'pull']);
    expect(waiting.code).not.toBe(0);
    expect(waiting.stderr).toContain('is waiting to start: trying and failing to pull image');
  });
});
