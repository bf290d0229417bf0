import { badRequest, gone } from './errors.js';
import type { ResourceDef } from './resources.js';
import { parseFieldSelector, parseLabelSelector } from './selectors.js';
import type { Store } from './store.js';
import type { JsonMap, KubeObject } from './types.js';

export interface ListResult {
  items: KubeObject[];
  meta: { resourceVersion: string; continue?: string; remainingItemCount?: number };
}

interface ContinueToken {
  v: string;
  rv: number;
  start: string;
}

const TOO_OLD =
  'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.';

function keyOf(o: KubeObject): string {
  return `${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`;
}

function decodeContinue(token: string): ContinueToken {
  try {
    const t = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as ContinueToken;
    if (typeof t.rv !== 'number' || typeof t.start !== 'string') throw new Error('bad token');
    return t;
  } catch {
    throw badRequest('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
  }
}

export function encodeContinue(rv: number, lastKey: string): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv, start: `${lastKey}\u0000` })).toString('base64');
}

/** Build a filter for the label and field selectors of a request. */
export function objectFilter(res: ResourceDef, q: URLSearchParams): (o: KubeObject) => boolean {
  const labels = parseLabelSelector(q.get('labelSelector'));
  const fields = parseFieldSelector(q.get('fieldSelector'), res.plural);
  const hasLabels = !!q.get('labelSelector');
  const hasFields = !!q.get('fieldSelector');
  if (!hasLabels && !hasFields) return () => true;
  return (o) => labels(o.metadata.labels) && fields(o as unknown as JsonMap);
}

/** LIST with label/field selectors and limit/continue paging (sorted by namespace/name like etcd keys). */
export function listObjects(store: Store, res: ResourceDef, ns: string | undefined, q: URLSearchParams): ListResult {
  const filter = objectFilter(res, q);
  const limitRaw = q.get('limit');
  const limit = limitRaw ? Number(limitRaw) : 0;
  if (limitRaw && (!Number.isInteger(limit) || limit < 0)) throw badRequest(`invalid limit ${limitRaw}`);
  const cont = q.get('continue');
  let rv = store.revision;
  let start = '';
  if (cont) {
    const t = decodeContinue(cont);
    if (t.rv < store.compactedRevision) throw gone(TOO_OLD);
    rv = t.rv;
    start = t.start;
  }
  const all = store.list(res, ns);
  const selected = q.get('labelSelector') || q.get('fieldSelector') ? all.filter(filter) : all;
  if (!limit && !start) {
    selected.sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : 1));
    return { items: selected, meta: { resourceVersion: String(store.revision) } };
  }
  const keyed = selected.map((o) => ({ k: keyOf(o), o }));
  keyed.sort((a, b) => (a.k < b.k ? -1 : 1));
  let from = 0;
  if (start) {
    const after = start.endsWith('\u0000') ? start.slice(0, -1) : start;
    from = keyed.findIndex((e) => e.k > after);
    if (from < 0) from = keyed.length;
  }
  const end = limit ? Math.min(keyed.length, from + limit) : keyed.length;
  const items = keyed.slice(from, end).map((e) => e.o);
  const meta: ListResult['meta'] = { resourceVersion: String(cont ? rv : store.revision) };
  if (end < keyed.length) {
    meta.continue = encodeContinue(cont ? rv : store.revision, keyed[end - 1]!.k);
    if (!q.get('labelSelector') && !q.get('fieldSelector')) meta.remainingItemCount = keyed.length - end;
  }
  return { items, meta };
}
