import { groups, RESOURCES } from './resources.js';
import type { JsonMap } from './types.js';

function gvPath(group: string, version: string): string {
  return group ? `apis/${group}/${version}` : `api/${version}`;
}

/** GET /openapi/v3: the index of per-group-version documents. */
export function openApiV3Root(): JsonMap {
  const paths: JsonMap = {};
  for (const [group, versions] of groups()) {
    for (const v of versions) paths[gvPath(group, v)] = { serverRelativeURL: `/openapi/v3/${gvPath(group, v)}?hash=sandbox` };
  }
  return { paths };
}

const QUERY = ['dryRun', 'fieldManager', 'fieldValidation', 'force', 'pretty'].map((name) => ({
  name,
  in: 'query',
  schema: { type: name === 'force' ? 'boolean' : 'string', uniqueItems: true },
}));

/**
 * A minimal OpenAPI v3 document for one group-version: the write operations and the query
 * parameters they accept, so kubectl knows the server validates fields (fieldValidation) and
 * does not fall back to client-side schema validation. Schemas are not included.
 */
export function openApiV3Doc(path: string): JsonMap | undefined {
  const rs = RESOURCES.filter((r) => gvPath(r.group, r.version) === path);
  if (!rs.length) return undefined;
  const paths: JsonMap = {};
  for (const r of rs) {
    const gvk = { 'x-kubernetes-group-version-kind': { group: r.group, version: r.version, kind: r.kind } };
    const base = `/${path}${r.namespaced ? '/namespaces/{namespace}' : ''}/${r.plural}`;
    const op = (action: string, verb: string): JsonMap => ({
      operationId: `${verb}${r.kind}`,
      parameters: QUERY,
      responses: { '200': { description: 'OK' } },
      'x-kubernetes-action': action,
      ...gvk,
    });
    paths[base] = { get: op('list', 'list'), post: op('post', 'create') };
    paths[`${base}/{name}`] = { get: op('get', 'read'), put: op('put', 'replace'), patch: op('patch', 'patch'), delete: op('delete', 'delete') };
  }
  return { openapi: '3.0.0', info: { title: 'Kubernetes', version: 'v1.32.0' }, paths, components: { schemas: {} } };
}
