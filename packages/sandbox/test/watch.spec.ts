import type { SandboxCluster } from '../src/index.js';
import { at, fastCluster, http, waitFor } from './helpers.js';

let c: SandboxCluster;
const CM = '/api/v1/namespaces/default/configmaps';

beforeAll(async () => {
  c = await fastCluster({ name: 'watch', historySize: 50, bookmarkIntervalMs: 50 });
});
afterAll(async () => {
  await c.stop();
});

interface WatchEvent {
  type: string;
  object: Record<string, unknown>;
}

/** Open a watch and collect its events until closed. */
function openWatch(path: string): { events: WatchEvent[]; status: Promise<number>; done: Promise<void>; close: () => void } {
  const events: WatchEvent[] = [];
  const ctrl = new AbortController();
  let resolveStatus: (n: number) => void = () => undefined;
  const status = new Promise<number>((r) => (resolveStatus = r));
  const done = (async () => {
    try {
      const res = await fetch(`${c.url}${path}`, { signal: ctrl.signal });
      resolveStatus(res.status);
      const reader = res.body!.getReader();
      const dec = new TextDecoder();
      let buf = '';
      for (;;) {
        const { value, done: end } = await reader.read();
        if (end) break;
        buf += dec.decode(value, { stream: true });
        let nl: number;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, nl);
          buf = buf.slice(nl + 1);
          if (line.trim()) events.push(JSON.parse(line) as WatchEvent);
        }
      }
    } catch {
      // aborted
    }
  })();
  return { events, status, done, close: () => ctrl.abort() };
}

const cm = (name: string, labels: Record<string, string> = {}): Record<string, unknown> => ({ metadata: { name, labels }, data: { a: '1' } });

it('streams ADDED, MODIFIED and DELETED from a resourceVersion', async () => {
  const list = await http(c, 'GET', CM);
  const w = openWatch(`${CM}?watch=true&resourceVersion=${String(at(list.body, 'metadata.resourceVersion'))}`);
  expect(await w.status).toBe(200);
  await http(c, 'POST', CM, cm('w1'));
  await http(c, 'PATCH', `${CM}/w1`, { data: { a: '2' } }, 'application/merge-patch+json');
  await http(c, 'DELETE', `${CM}/w1`);
  await waitFor(() => w.events.length >= 3, 'three events');
  w.close();
  expect(w.events.map((e) => e.type)).toEqual(['ADDED', 'MODIFIED', 'DELETED']);
  expect(at(w.events[1]!.object, 'data.a')).toBe('2');
  const rvs = w.events.map((e) => Number(at(e.object, 'metadata.resourceVersion')));
  expect(rvs[0]! < rvs[1]! && rvs[1]! < rvs[2]!).toBe(true);
});

it('without a resourceVersion starts with the current state as ADDED events', async () => {
  await http(c, 'POST', CM, cm('existing', { initial: 'yes' }));
  const w = openWatch(`${CM}?watch=1&labelSelector=initial`);
  await waitFor(() => w.events.length >= 1, 'initial event');
  w.close();
  expect(w.events[0]).toMatchObject({ type: 'ADDED', object: { metadata: { name: 'existing' } } });
});

it('applies label selectors, turning label changes into ADDED/DELETED', async () => {
  const list = await http(c, 'GET', CM);
  const w = openWatch(`${CM}?watch=true&labelSelector=color%3Dblue&resourceVersion=${String(at(list.body, 'metadata.resourceVersion'))}`);
  await w.status;
  await http(c, 'POST', CM, cm('sel', { color: 'red' }));
  await http(c, 'PATCH', `${CM}/sel`, { metadata: { labels: { color: 'blue' } } }, 'application/merge-patch+json');
  await http(c, 'PATCH', `${CM}/sel`, { metadata: { labels: { color: 'green' } } }, 'application/merge-patch+json');
  await waitFor(() => w.events.length >= 2, 'two events');
  w.close();
  expect(w.events.map((e) => e.type)).toEqual(['ADDED', 'DELETED']);
});

it('sends BOOKMARK events when allowed', async () => {
  const list = await http(c, 'GET', CM);
  const w = openWatch(`${CM}?watch=true&allowWatchBookmarks=true&resourceVersion=${String(at(list.body, 'metadata.resourceVersion'))}`);
  await waitFor(() => w.events.some((e) => e.type === 'BOOKMARK'), 'a bookmark');
  w.close();
  const bm = w.events.find((e) => e.type === 'BOOKMARK')!;
  expect(bm.object).toMatchObject({ kind: 'ConfigMap', apiVersion: 'v1' });
  expect(typeof at(bm.object, 'metadata.resourceVersion')).toBe('string');
});

it('honours timeoutSeconds by ending the stream', async () => {
  const w = openWatch(`${CM}?watch=true&timeoutSeconds=1&resourceVersion=${String(at((await http(c, 'GET', CM)).body, 'metadata.resourceVersion'))}`);
  await w.done;
  expect(await w.status).toBe(200);
});

it('answers 410 Gone (ERROR event with Status code 410) for a resourceVersion older than the history', async () => {
  const old = String(at((await http(c, 'GET', CM)).body, 'metadata.resourceVersion'));
  for (let i = 0; i < 60; i++) await http(c, 'POST', CM, cm(`churn-${i}`));
  const w = openWatch(`${CM}?watch=true&resourceVersion=${old}`);
  await w.done;
  expect(w.events).toHaveLength(1);
  expect(w.events[0]).toMatchObject({ type: 'ERROR', object: { kind: 'Status', code: 410, reason: 'Expired' } });
});

it('answers HTTP 410 for a list continue token that is too old', async () => {
  const first = await http(c, 'GET', `${CM}?limit=1`);
  const token = String(at(first.body, 'metadata.continue'));
  for (let i = 0; i < 60; i++) await http(c, 'POST', CM, cm(`churn2-${i}`));
  const r = await http(c, 'GET', `${CM}?limit=1&continue=${encodeURIComponent(token)}`);
  expect(r.status).toBe(410);
  expect(r.body).toMatchObject({ kind: 'Status', reason: 'Expired', code: 410 });
});

it('drops watch connections on demand', async () => {
  const w = openWatch(`${CM}?watch=true&resourceVersion=${String(at((await http(c, 'GET', CM)).body, 'metadata.resourceVersion'))}`);
  await w.status;
  expect(c.faults.dropWatches()).toBeGreaterThanOrEqual(1);
  await w.done;
});

// Events written in one turn of the event loop leave the server in one chunk (one socket write per
// watch, not per event): none may be lost, reordered or held back.
it('delivers every event of one synchronous burst, in resourceVersion order, before a watch that times out right after ends', async () => {
  const rv = String(at((await http(c, 'GET', CM)).body, 'metadata.resourceVersion'));
  const w = openWatch(`${CM}?watch=true&labelSelector=burst%3Dyes&resourceVersion=${rv}`);
  const late = openWatch(`${CM}?watch=true&labelSelector=burst%3Dyes&timeoutSeconds=1&resourceVersion=${rv}`);
  expect(await w.status).toBe(200);
  expect(await late.status).toBe(200);
  // One synchronous burst through the registry: 30 creates, then 30 updates, then 30 deletes.
  const reg = c.core.registry;
  const cms = c.core.store.resources().find((r) => r.plural === 'configmaps')!;
  for (let i = 0; i < 30; i++) reg.create(cms, 'default', cm(`burst-${i}`, { burst: 'yes' }), { fieldManager: 'test' });
  for (let i = 0; i < 30; i++) reg.patch(cms, 'default', `burst-${i}`, 'merge', { data: { a: '2' } }, { fieldManager: 'test' });
  for (let i = 0; i < 30; i++) c.core.store.remove(cms, 'default', `burst-${i}`);
  await waitFor(() => w.events.length >= 90, '90 events');
  await late.done;
  w.close();
  for (const got of [w.events, late.events]) {
    expect(got.map((e) => e.type)).toEqual([...Array<string>(30).fill('ADDED'), ...Array<string>(30).fill('MODIFIED'), ...Array<string>(30).fill('DELETED')]);
    const rvs = got.map((e) => Number(at(e.object, 'metadata.resourceVersion')));
    expect(rvs).toEqual([...rvs].sort((a, b) => a - b));
    expect(new Set(rvs).size).toBe(90);
  }
});
