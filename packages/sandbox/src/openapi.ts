import { createHash } from 'node:crypto';
import { groups, RESOURCES, type ResourceDef } from './resources.js';
import { definitionFor, definitions, type RawSchema } from './schema/index.js';
import type { JsonMap } from './types.js';

function gvPath(group: string, version: string): string {
  return group ? `apis/${group}/${version}` : `api/${version}`;
}

const QUERY = ['dryRun', 'fieldManager', 'fieldValidation', 'force', 'pretty'].map((name) => ({
  name,
  in: 'query',
  schema: { type: name === 'force' ? 'boolean' : 'string', uniqueItems: true },
}));

/** Definitions reachable from `roots`, with refs rewritten for the target document. */
function closure(roots: string[], refPrefix: string): Record<string, JsonMap> {
  const defs = definitions();
  const out: Record<string, JsonMap> = {};
  const visit = (name: string): void => {
    if (out[name] || !defs[name]) return;
    out[name] = {};
    out[name] = rewrite(defs[name], refPrefix, visit) as JsonMap;
  };
  for (const r of roots) visit(r);
  return out;
}

function rewrite(s: RawSchema, prefix: string, visit: (name: string) => void): unknown {
  return JSON.parse(JSON.stringify(s), (key, value: unknown) => {
    if (key === '$ref' && typeof value === 'string') {
      visit(value);
      return `${prefix}${value}`;
    }
    return value;
  });
}

function rootsOf(rs: readonly ResourceDef[]): string[] {
  const roots = ['io.k8s.apimachinery.pkg.apis.meta.v1.Status', 'io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions'];
  for (const r of rs) {
    for (const kind of [r.kind, `${r.kind}List`]) {
      const name = definitionFor(r.apiVersion, kind);
      if (name) roots.push(name);
    }
  }
  if (rs.some((r) => r.subresources.includes('scale'))) roots.push('io.k8s.api.autoscaling.v1.Scale');
  return roots;
}

function operations(path: string, rs: readonly ResourceDef[]): JsonMap {
  const paths: JsonMap = {};
  for (const r of rs) {
    const gvk = { 'x-kubernetes-group-version-kind': { group: r.group, version: r.version, kind: r.kind } };
    const base = `/${path}${r.namespaced ? '/namespaces/{namespace}' : ''}/${r.plural}`;
    const def = definitionFor(r.apiVersion, r.kind);
    const list = definitionFor(r.apiVersion, `${r.kind}List`);
    const body = (name: string | undefined): JsonMap => (name ? { content: { 'application/json': { schema: { $ref: `#/components/schemas/${name}` } } } } : {});
    const op = (action: string, verb: string, response: string | undefined, withBody = false): JsonMap => ({
      operationId: `${verb}${r.kind}`,
      parameters: QUERY,
      ...(withBody ? { requestBody: body(def) } : {}),
      responses: { '200': { description: 'OK', ...body(response) } },
      'x-kubernetes-action': action,
      ...gvk,
    });
    paths[base] = { get: op('list', 'list', list), post: op('post', 'create', def, true) };
    paths[`${base}/{name}`] = { get: op('get', 'read', def), put: op('put', 'replace', def, true), patch: op('patch', 'patch', def), delete: op('delete', 'delete', 'io.k8s.apimachinery.pkg.apis.meta.v1.Status') };
  }
  return paths;
}

const v3Docs = new Map<string, { doc: JsonMap; hash: string } | undefined>();

function v3(path: string): { doc: JsonMap; hash: string } | undefined {
  if (!v3Docs.has(path)) {
    const rs = RESOURCES.filter((r) => gvPath(r.group, r.version) === path);
    if (!rs.length) v3Docs.set(path, undefined);
    else {
      const doc: JsonMap = {
        openapi: '3.0.0',
        info: { title: 'Kubernetes', version: 'v1.32.0' },
        paths: operations(path, rs),
        components: { schemas: closure(rootsOf(rs), '#/components/schemas/') },
      };
      v3Docs.set(path, { doc, hash: createHash('sha512').update(JSON.stringify(doc)).digest('hex').slice(0, 128) });
    }
  }
  return v3Docs.get(path);
}

/** GET /openapi/v3: the index of per-group-version documents (hash = their content's). */
export function openApiV3Root(): JsonMap {
  const paths: JsonMap = {};
  for (const [group, versions] of groups()) {
    for (const v of versions) {
      const doc = v3(gvPath(group, v));
      if (doc) paths[gvPath(group, v)] = { serverRelativeURL: `/openapi/v3/${gvPath(group, v)}?hash=${doc.hash}` };
    }
  }
  return { paths };
}

/**
 * The OpenAPI v3 document of one group-version: its operations (with the query parameters,
 * so kubectl knows the server validates fields) and the schemas of its kinds and everything
 * they reference, generated from the Kubernetes type definitions (`kubectl explain` reads these).
 */
export function openApiV3Doc(path: string): JsonMap | undefined {
  return v3(path)?.doc;
}

let v2: JsonMap | undefined;

/** GET /openapi/v2 as JSON: every served kind's definitions (Swagger 2.0). */
export function openApiV2Doc(): JsonMap {
  v2 ??= {
    swagger: '2.0',
    info: { title: 'Kubernetes', version: 'v1.32.0' },
    paths: {},
    definitions: closure(rootsOf(RESOURCES), '#/definitions/'),
  };
  return v2;
}
