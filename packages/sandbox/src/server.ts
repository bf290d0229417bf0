import type { IncomingMessage, ServerResponse } from 'node:http';
import { deleteObject, parseDeleteOptions } from './deletion.js';
import {
  aggregatedContentType,
  aggregatedDiscovery,
  aggregatedVersion,
  apiGroupDoc,
  apiGroupList,
  apiResourceList,
  apiVersions,
  versionInfo,
} from './discovery.js';
import { ApiError, badRequest, methodNotAllowed, pageNotFound, unsupportedMediaType } from './errors.js';
import { parseFaultUpdate, type FaultSettings, type StatsCollector, type Verb } from './faults.js';
import { decodeBody, readBody, sendError, sendJson, warningsFor } from './http-util.js';
import { listObjects } from './list.js';
import { normaliseBooleans } from './query.js';
import { duplicateFields } from './validation/duplicates.js';
import { parseFieldValidation } from './validation/structural.js';
import { serveLogs } from './logs.js';
import type { PatchType, Registry, WriteOptions } from './registry.js';
import { openApiV2Doc, openApiV3Doc, openApiV3Root } from './openapi.js';
import { findResource, type ResourceDef } from './resources.js';
import { getScale, scaleWrite } from './scale.js';
import { toJson, type Store } from './store.js';
import { fromStorage, patchConverted, toStorage } from './versions.js';
import { toTable, wantsTable } from './table.js';
import type { KubeObject } from './types.js';
import type { WatchHub } from './watch.js';
import { withWarnings } from './warnings.js';
import { isReview, serveReview } from './reviews.js';

export interface ServerContext {
  store: Store;
  registry: Registry;
  watches: WatchHub;
  stats: StatsCollector;
  faults: FaultSettings;
  token: string | undefined;
  logIntervalMs: number;
  serverAddress: () => string;
  setDown: (down: boolean) => void;
}

interface Target {
  res: ResourceDef;
  /** An older served version converted to and from `res` (autoscaling/v1 HPAs). */
  view?: ResourceDef;
  ns: string | undefined;
  name: string | undefined;
  sub: string | undefined;
}

const PATCH_TYPES: Record<string, PatchType> = {
  'application/json-patch+json': 'json',
  'application/merge-patch+json': 'merge',
  'application/strategic-merge-patch+json': 'strategic',
  'application/apply-patch+yaml': 'apply',
};

function parseTarget(segs: string[]): Target | undefined {
  let apiVersion: string;
  let rest: string[];
  if (segs[0] === 'api' && segs[1] === 'v1') {
    apiVersion = 'v1';
    rest = segs.slice(2);
  } else if (segs[0] === 'apis' && segs.length >= 4) {
    apiVersion = `${segs[1]}/${segs[2]}`;
    rest = segs.slice(3);
  } else return undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    const res = findResource(apiVersion, rest[2]!);
    if (res?.namespaced) return rest.length <= 5 ? { res, ns: rest[1], name: rest[3], sub: rest[4] } : undefined;
  }
  const res = findResource(apiVersion, rest[0] ?? '');
  if (!res || rest.length > 3) return undefined;
  if (res.namespaced && rest.length > 1) return undefined;
  return { res, ns: undefined, name: rest[1], sub: rest[2] };
}

/** Older served versions are handled on their storage resource with conversion. */
function resolveView(t: Target | undefined): Target | undefined {
  return t?.res.storage ? { ...t, res: t.res.storage, view: t.res } : t;
}

function verbOf(method: string, t: Target, q: URLSearchParams): Verb {
  const watch = q.get('watch') === 'true';
  switch (method) {
    case 'GET':
      return watch ? 'watch' : t.name ? 'get' : 'list';
    case 'POST':
      return 'create';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return t.name ? 'delete' : 'deletecollection';
    default:
      throw methodNotAllowed();
  }
}

/** Duplicate fields of a JSON body (merge and strategic patches included; not JSON patches). */
function jsonDuplicates(bytes: Buffer, contentType: string | undefined): string[] | undefined {
  const ct = (contentType ?? 'application/json').split(';')[0]!.trim().toLowerCase();
  if (ct !== 'application/json' && ct !== 'application/merge-patch+json' && ct !== 'application/strategic-merge-patch+json') return undefined;
  const found = duplicateFields(bytes.toString('utf8'));
  return found.length ? found : undefined;
}

function writeOptions(req: IncomingMessage, q: URLSearchParams, sub: string | undefined, res: ServerResponse, duplicates?: string[]): WriteOptions {
  const dry = q.getAll('dryRun');
  if (dry.some((d) => d !== 'All')) throw badRequest(`Invalid dry run value: ${dry.join(',')}`);
  const ua = req.headers['user-agent'] ?? 'unknown';
  const opts: WriteOptions = {
    fieldManager: q.get('fieldManager') ?? ua.split('/')[0]!.slice(0, 128),
    dryRun: dry.length > 0,
    force: q.get('force') === 'true',
    fieldValidation: parseFieldValidation(q.get('fieldValidation')),
    warnings: warningsFor(res),
  };
  if (duplicates) opts.duplicates = duplicates;
  if (sub) opts.subresource = sub;
  return opts;
}

function respondObject(req: IncomingMessage, res: ServerResponse, code: number, t: Target, obj: KubeObject, q: URLSearchParams): void {
  if (wantsTable(req.headers.accept) && req.method === 'GET') {
    sendJson(res, code, toTable(t.res, [obj], { resourceVersion: obj.metadata.resourceVersion ?? '' }, q.get('includeObject') ?? 'Metadata'));
    return;
  }
  sendJson(res, code, toJson(obj));
}

async function handleResource(ctx: ServerContext, req: IncomingMessage, res: ServerResponse, t: Target, q: URLSearchParams, verb: Verb): Promise<void> {
  const { registry: reg, store } = ctx;
  const ns = t.ns ?? '';
  const needsBody = verb === 'create' || verb === 'update' || verb === 'patch' || verb === 'delete' || verb === 'deletecollection';
  const bytes = needsBody ? await readBody(req) : undefined;
  const raw = bytes ? decodeBody(bytes, req.headers['content-type']) : undefined;
  const duplicates = bytes && (verb === 'create' || verb === 'update' || verb === 'patch') ? jsonDuplicates(bytes, req.headers['content-type']) : undefined;
  const view = t.view;
  const body = view && (verb === 'create' || verb === 'update') ? toStorage(view, raw) : raw;
  const conv = (o: KubeObject): KubeObject => (view ? fromStorage(view, o) : o);
  if (isReview(t.res, t.sub)) return serveReview(reg, req, res, t, verb, raw);
  if (t.sub) {
    if (!t.res.subresources.includes(t.sub) || !t.name) throw pageNotFound();
    if (t.sub === 'log') {
      if (verb !== 'get') throw methodNotAllowed();
      serveLogs(reg, res, ns, t.name, q, ctx.logIntervalMs);
      return;
    }
    if (t.sub === 'scale') {
      if (verb === 'get') sendJson(res, 200, getScale(reg.get(t.res, ns, t.name)));
      else if (verb === 'update' || verb === 'patch') {
        const type = verb === 'patch' ? patchType(req) : undefined;
        sendJson(res, 200, scaleWrite(reg, t.res, ns, t.name, body, type, writeOptions(req, q, 'scale', res)));
      } else throw methodNotAllowed();
      return;
    }
  }
  switch (verb) {
    case 'get':
      respondObject(req, res, 200, t, conv(reg.get(t.res, ns, t.name!)), q);
      return;
    case 'list': {
      const result = listObjects(store, t.res, t.ns, q);
      if (wantsTable(req.headers.accept)) {
        sendJson(res, 200, toTable(t.res, result.items, result.meta, q.get('includeObject') ?? 'Metadata'), 'application/json;as=Table;v=v1;g=meta.k8s.io');
        return;
      }
      const head = JSON.stringify({ kind: `${t.res.kind}List`, apiVersion: (view ?? t.res).apiVersion, metadata: result.meta });
      sendJson(res, 200, `${head.slice(0, -1)},"items":[${result.items.map((o) => toJson(conv(o))).join(',')}]}`);
      return;
    }
    case 'watch':
      ctx.watches.serve(req, res, t.res, t.ns, t.name ? withName(q, t.name) : q, view ? conv : undefined);
      return;
    case 'create': {
      if (t.name) throw methodNotAllowed();
      if (t.res.namespaced && t.ns === undefined) throw pageNotFound();
      const obj = reg.create(t.res, ns, body, writeOptions(req, q, undefined, res, duplicates));
      respondObject(req, res, 201, t, conv(obj), q);
      return;
    }
    case 'update': {
      if (t.sub === 'finalize' || t.sub === 'status' || !t.sub) {
        respondObject(req, res, 200, t, conv(reg.update(t.res, ns, t.name!, body, writeOptions(req, q, t.sub, res, duplicates))), q);
        return;
      }
      throw methodNotAllowed();
    }
    case 'patch': {
      if (t.sub && t.sub !== 'status') throw methodNotAllowed();
      const type = patchType(req);
      const opts = writeOptions(req, q, t.sub, res, duplicates);
      if (type === 'apply' && !q.get('fieldManager')) delete opts.fieldManager;
      if (view) {
        respondObject(req, res, 200, t, conv(patchConverted(reg, view, ns, t.name!, type, body, opts)), q);
        return;
      }
      const { obj, created } = reg.patch(t.res, ns, t.name!, type, body, opts);
      respondObject(req, res, created ? 201 : 200, t, obj, q);
      return;
    }
    case 'delete': {
      if (t.sub) throw methodNotAllowed();
      const result = deleteObject(reg, t.res, ns, t.name!, parseDeleteOptions(body, q));
      sendJson(res, result.code, result.body);
      return;
    }
    case 'deletecollection': {
      if (t.res.namespaced && t.ns === undefined) throw methodNotAllowed();
      const opts = parseDeleteOptions(body, q);
      const items = listObjects(store, t.res, t.ns, q).items.map((o) => deleteObject(reg, t.res, o.metadata.namespace ?? '', o.metadata.name ?? '', opts).body);
      sendJson(res, 200, { kind: `${t.res.kind}List`, apiVersion: t.res.apiVersion, metadata: { resourceVersion: String(store.revision) }, items });
      return;
    }
  }
}

function withName(q: URLSearchParams, name: string): URLSearchParams {
  const out = new URLSearchParams(q);
  const fs = out.get('fieldSelector');
  out.set('fieldSelector', fs ? `${fs},metadata.name=${name}` : `metadata.name=${name}`);
  return out;
}

function patchType(req: IncomingMessage): PatchType {
  const ct = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  const type = PATCH_TYPES[ct];
  if (!type) throw unsupportedMediaType(ct);
  return type;
}

function discovery(ctx: ServerContext, req: IncomingMessage, res: ServerResponse, segs: string[]): boolean {
  const accept = req.headers.accept;
  const agg = aggregatedVersion(accept);
  const path = segs.join('/');
  if (path === 'version') sendJson(res, 200, versionInfo());
  else if (path === 'api') {
    if (agg) sendJson(res, 200, aggregatedDiscovery(true, agg), aggregatedContentType(agg));
    else sendJson(res, 200, apiVersions(ctx.serverAddress()));
  } else if (path === 'apis') {
    if (agg) sendJson(res, 200, aggregatedDiscovery(false, agg), aggregatedContentType(agg));
    else sendJson(res, 200, apiGroupList());
  } else if (path === 'api/v1') sendJson(res, 200, apiResourceList('', 'v1'));
  else if (segs[0] === 'apis' && segs.length === 2) {
    const doc = apiGroupDoc(segs[1]!);
    if (!doc) throw pageNotFound();
    sendJson(res, 200, doc);
  } else if (segs[0] === 'apis' && segs.length === 3) {
    const doc = apiResourceList(segs[1]!, segs[2]!);
    if (!doc) throw pageNotFound();
    sendJson(res, 200, doc);
  } else if (path === 'openapi/v2') {
    // Only JSON: clients asking for the protobuf encoding alone get 406 and fall back.
    if (accept && !/json|\*\/\*/.test(accept)) throw new ApiError(406, 'NotAcceptable', `only the following media types are accepted: application/json`);
    sendJson(res, 200, openApiV2Doc());
  } else if (path === 'openapi/v3') sendJson(res, 200, openApiV3Root());
  else if (segs[0] === 'openapi' && segs[1] === 'v3') {
    const doc = openApiV3Doc(segs.slice(2).join('/'));
    if (!doc) throw pageNotFound();
    sendJson(res, 200, doc);
  } else if (path === 'healthz' || path === 'livez' || path === 'readyz') {
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    res.end('ok');
  } else return false;
  return true;
}

async function control(ctx: ServerContext, req: IncomingMessage, res: ServerResponse, what: string): Promise<void> {
  if (what === 'stats') {
    if (req.method === 'GET') sendJson(res, 200, ctx.stats.snapshot());
    else if (req.method === 'DELETE') {
      ctx.stats.reset();
      sendJson(res, 200, ctx.stats.snapshot());
    } else throw methodNotAllowed();
    return;
  }
  if (what === 'faults') {
    if (req.method === 'PUT' || req.method === 'POST') {
      let update: Partial<FaultSettings>;
      const body = decodeBody(await readBody(req), 'application/json');
      try {
        update = parseFaultUpdate(body);
      } catch (e) {
        throw badRequest((e as Error).message);
      }
      Object.assign(ctx.faults, update);
      if (typeof body === 'object' && body !== null && (body as { down?: unknown }).down === true) {
        sendJson(res, 200, ctx.faults);
        ctx.setDown(true);
        return;
      }
    } else if (req.method !== 'GET') throw methodNotAllowed();
    sendJson(res, 200, ctx.faults);
    return;
  }
  if (what === 'drop-watches' && req.method === 'POST') {
    const n = ctx.watches.count;
    ctx.watches.dropAll();
    sendJson(res, 200, { dropped: n });
    return;
  }
  throw pageNotFound();
}

function injectFault(ctx: ServerContext): ApiError | undefined {
  const f = ctx.faults;
  if (f.throttle) {
    return new ApiError(429, 'TooManyRequests', 'Too many requests, please try again later.', { retryAfterSeconds: f.retryAfterSeconds });
  }
  if (f.errorRate > 0 && Math.random() < f.errorRate) {
    return f.errorStatus === 503
      ? new ApiError(503, 'ServiceUnavailable', 'The server is currently unable to handle the request (injected fault)')
      : new ApiError(500, 'InternalError', 'Internal error occurred: injected fault');
  }
  return undefined;
}

function authorized(ctx: ServerContext, req: IncomingMessage): boolean {
  return !ctx.token || req.headers.authorization === `Bearer ${ctx.token}`;
}

/** The request handler: control endpoints, auth, fault injection, discovery, then resources. */
export function createHandler(ctx: ServerContext): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    void withWarnings(res, () => handle(ctx, req, res));
  };
}

async function handle(ctx: ServerContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://sandbox');
  const segs = url.pathname.split('/').filter((s) => s !== '');
  let stat: { verb: Verb; key: string } | undefined;
  try {
    if (segs[0] === '_sandbox') {
      await control(ctx, req, res, segs[1] ?? '');
      return;
    }
    if (!authorized(ctx, req)) throw new ApiError(401, 'Unauthorized', 'Unauthorized');
    if (ctx.faults.latencyMs > 0) await new Promise((r) => setTimeout(r, ctx.faults.latencyMs));
    const t = resolveView(parseTarget(segs));
    if (t) {
      normaliseBooleans(url.searchParams);
      const verb = verbOf(req.method ?? 'GET', t, url.searchParams);
      stat = { verb, key: t.sub ? `${t.res.qualified}/${t.sub}` : t.res.qualified };
      ctx.stats.record(stat.verb, stat.key);
    }
    const fault = injectFault(ctx);
    if (fault) throw fault;
    if (!t) {
      if (req.method === 'GET' && discovery(ctx, req, res, segs)) return;
      throw pageNotFound();
    }
    await handleResource(ctx, req, res, t, url.searchParams, stat!.verb);
  } catch (err) {
    sendError(res, err);
    ctx.stats.error();
  }
}
