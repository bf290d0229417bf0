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
