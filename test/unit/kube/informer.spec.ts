// The informer's list/watch protocol against a scripted gateway: paged list, watch from the list's
// resourceVersion, bookmarks moving the resume point, resume after a cut, relist on 410 Gone (with
// what changed meanwhile reported), and a failing watch retried after a pause rather than at once.
import { describe, expect, it } from '@jest/globals';
import type { KubeGateway, KubeObject } from '../../../src/modules/clusters/kube/kube-gateway.js';
import { Informer } from '../../../src/modules/clusters/kube/informer.js';

interface OpenWatch {
  resourceVersion: string;
  onEvent: (type: string, object: KubeObject) => void;
  done: (error: unknown) => void;
}

const pod = (name: string, rv: string, image = 'a'): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'ns', resourceVersion: rv }, spec: { image } });

/** A gateway whose list answers from `objects` (pages of 2) and whose watches the test drives. */
function scripted(objects: () => KubeObject[], listVersion: () => string) {
  const watches: OpenWatch[] = [];
  let lists = 0;
  const gateway = {
    async listPage(_apiVersion: string, _kind: string, _selector: string, limit: number, token: string | undefined) {
      lists += 1;
      const all = objects();
      const from = token ? Number(token) : 0;
      const items = all.slice(from, from + limit).map((o) => ({ ...o, kind: undefined as unknown as string, apiVersion: undefined as unknown as string }));
      return { items, resourceVersion: token ? 'ignored' : listVersion(), continue: from + limit < all.length ? String(from + limit) : undefined };
    },
    async watchFrom(_apiVersion: string, _kind: string, _selector: string, resourceVersion: string, onEvent: OpenWatch['onEvent'], done: OpenWatch['done']) {
      watches.push({ resourceVersion, onEvent, done });
      return new AbortController();
    },
  };
  return { gateway: gateway as unknown as KubeGateway, watches, lists: () => lists };
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i += 1) await new Promise((r) => setTimeout(r, 10));
  expect(check()).toBe(true);
}

describe('Informer', () => {
  it('lists in pages, watches from the list, moves on bookmarks and resumes where it was', async () => {
    const changes: string[] = [];
    const cluster = scripted(() => [pod('a', '5'), pod('b', '6'), pod('c', '7')], () => '10');
    const informer = new Informer<string>(cluster.gateway, { apiVersion: 'v1', kind: 'Pod', labelSelector: 'x=y', pageSize: 2, reduce: (o) => `${o.kind}:${String((o.spec as { image: string }).image)}`, changed: (n, b, a) => changes.push(`${n.name} ${b ?? '-'} → ${a ?? '-'}`) });
    informer.start();
    await until(() => cluster.watches.length === 1);
    expect(cluster.lists()).toBe(2);
    expect(informer.synced).toBe(true);
    expect(informer.get('ns', 'c')).toBe('Pod:a');
    expect(cluster.watches[0]!.resourceVersion).toBe('10');
    cluster.watches[0]!.onEvent('MODIFIED', pod('a', '11', 'b'));
    cluster.watches[0]!.onEvent('BOOKMARK', { apiVersion: 'v1', kind: 'Pod', metadata: { name: '', resourceVersion: '15' } });
    cluster.watches[0]!.onEvent('DELETED', pod('b', '16'));
    expect(changes).toEqual(['a Pod:a → Pod:b', 'b Pod:a → -']);
    cluster.watches[0]!.done(undefined);
    await until(() => cluster.watches.length === 2);
    expect(cluster.watches[1]!.resourceVersion).toBe('16');
    expect(cluster.lists()).toBe(2);
    informer.stop();
  });

  it('lists again on 410 Gone and reports what changed while it could not watch', async () => {
    let objects = [pod('a', '5'), pod('b', '6')];
    let version = '10';
    const changes: string[] = [];
    const cluster = scripted(() => objects, () => version);
    const informer = new Informer<string>(cluster.gateway, { apiVersion: 'v1', kind: 'Pod', labelSelector: 'x=y', reduce: (o) => String((o.spec as { image: string }).image), changed: (n, b, a) => changes.push(`${n.name} ${b ?? '-'} → ${a ?? '-'}`) });
    informer.start();
    await until(() => cluster.watches.length === 1);
    objects = [pod('a', '30', 'z'), pod('c', '31')];
    version = '40';
    cluster.watches[0]!.onEvent('ERROR', { apiVersion: 'v1', kind: 'Status', metadata: { name: '' }, code: 410, reason: 'Expired' } as KubeObject);
    cluster.watches[0]!.done(undefined);
    await until(() => cluster.watches.length === 2);
    expect(cluster.watches[1]!.resourceVersion).toBe('40');
    expect(informer.counts.relists).toBe(1);
    expect(changes.sort()).toEqual(['a a → z', 'b a → -', 'c - → a']);
    informer.stop();
  });

  it('waits before watching again after a watch failed (no tight loop)', async () => {
    const cluster = scripted(() => [pod('a', '5')], () => '10');
    const informer = new Informer<string>(cluster.gateway, { apiVersion: 'v1', kind: 'Pod', labelSelector: 'x=y', reduce: () => 'x', changed: () => undefined });
    informer.start();
    await until(() => cluster.watches.length === 1);
    cluster.watches[0]!.onEvent('ERROR', { apiVersion: 'v1', kind: 'Status', metadata: { name: '' }, code: 500 } as KubeObject);
    cluster.watches[0]!.done(undefined);
    // Resumed from the same point, later (a pause of up to 500 ms), not at once.
    expect(cluster.watches).toHaveLength(1);
    await until(() => cluster.watches.length === 2);
    expect(cluster.watches[1]!.resourceVersion).toBe('10');
    informer.stop();
  });
});
