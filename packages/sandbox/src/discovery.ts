import { groups, RESOURCES, resourceVerbs, SUBRESOURCE_VERBS, type ResourceDef } from './resources.js';
import type { JsonMap } from './types.js';

export const KUBE_VERSION = { major: '1', minor: '32', gitVersion: 'v1.32.0-berth-sandbox' };

export function versionInfo(): JsonMap {
  return {
    major: KUBE_VERSION.major,
    minor: KUBE_VERSION.minor,
    gitVersion: KUBE_VERSION.gitVersion,
    gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate: '2026-01-01T00:00:00Z',
    goVersion: 'go1.23.4',
    compiler: 'gc',
    platform: 'linux/amd64',
  };
}

export const AGGREGATED_CONTENT_TYPE = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';
const AGGREGATED_V2BETA1 = 'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList';

/** Which aggregated discovery version the Accept header allows (none → legacy documents). */
export function aggregatedVersion(accept: string | undefined): 'v2' | 'v2beta1' | undefined {
  if (!accept) return undefined;
  for (const part of accept.split(',')) {
    const p = part.replace(/\s+/g, '');
    if (!p.includes('as=APIGroupDiscoveryList') || !p.includes('g=apidiscovery.k8s.io')) continue;
    if (p.includes('v=v2beta1')) return 'v2beta1';
    if (p.includes('v=v2')) return 'v2';
  }
  return undefined;
}

export function aggregatedContentType(v: 'v2' | 'v2beta1'): string {
  return v === 'v2' ? AGGREGATED_CONTENT_TYPE : AGGREGATED_V2BETA1;
}

/** A group version's resources sorted by name, as the API server lists them (kubectl's `get all` order follows). */
function inGroupVersion(group: string, version: string): ResourceDef[] {
  return RESOURCES.filter((r) => r.group === group && r.version === version).sort((a, b) => a.plural.localeCompare(b.plural));
}

function apiResource(r: ResourceDef): JsonMap {
  const out: JsonMap = {
    name: r.plural,
    singularName: r.singular,
    namespaced: r.namespaced,
    kind: r.kind,
    verbs: r.verbs ?? resourceVerbs(),
    storageVersionHash: Buffer.from(r.qualified).toString('base64').slice(0, 11),
  };
  if (r.shortNames.length) out['shortNames'] = r.shortNames;
  if (r.categories.length) out['categories'] = r.categories;
  return out;
}

/** /api/v1 or /apis/<group>/<version> */
export function apiResourceList(group: string, version: string): JsonMap | undefined {
  const rs = inGroupVersion(group, version);
  if (!rs.length) return undefined;
  const resources: JsonMap[] = [];
  for (const r of rs) {
    resources.push(apiResource(r));
    for (const sub of r.subresources) {
      const kind = sub === 'scale' ? 'Scale' : sub === 'log' ? 'Pod' : sub === 'token' ? 'TokenRequest' : r.kind;
      const entry: JsonMap = { name: `${r.plural}/${sub}`, singularName: '', namespaced: r.namespaced, kind, verbs: SUBRESOURCE_VERBS[sub] ?? ['get'] };
      if (sub === 'scale') {
        entry['group'] = 'autoscaling';
        entry['version'] = 'v1';
      } else if (sub === 'token') {
        entry['group'] = 'authentication.k8s.io';
        entry['version'] = 'v1';
      }
      resources.push(entry);
    }
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: group ? `${group}/${version}` : version, resources };
}

export function apiVersions(serverAddress: string): JsonMap {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] };
}

function apiGroup(name: string, versions: string[]): JsonMap {
  const vs = versions.map((v) => ({ groupVersion: `${name}/${v}`, version: v }));
  return { name, versions: vs, preferredVersion: vs[0] };
}

export function apiGroupList(): JsonMap {
  const list: JsonMap[] = [];
  for (const [name, versions] of groups()) if (name) list.push(apiGroup(name, versions));
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: list };
}

export function apiGroupDoc(name: string): JsonMap | undefined {
  const versions = groups().get(name);
  if (!name || !versions) return undefined;
  return { kind: 'APIGroup', apiVersion: 'v1', ...apiGroup(name, versions) };
}

function discoveryResource(r: ResourceDef): JsonMap {
  const out: JsonMap = {
    resource: r.plural,
    responseKind: { group: r.group, version: r.version, kind: r.kind },
    scope: r.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: r.singular,
    verbs: r.verbs ?? resourceVerbs(),
  };
  if (r.shortNames.length) out['shortNames'] = r.shortNames;
  if (r.categories.length) out['categories'] = r.categories;
  if (r.subresources.length) {
    out['subresources'] = r.subresources.map((sub) => ({
      subresource: sub,
      responseKind:
        sub === 'scale'
          ? { group: 'autoscaling', version: 'v1', kind: 'Scale' }
          : sub === 'token'
            ? { group: 'authentication.k8s.io', version: 'v1', kind: 'TokenRequest' }
            : { group: r.group, version: r.version, kind: sub === 'log' ? 'Pod' : r.kind },
      verbs: SUBRESOURCE_VERBS[sub] ?? ['get'],
    }));
  }
  return out;
}

/** Aggregated discovery (what kubectl 1.32 asks for first): `core` for /api, groups for /apis. */
export function aggregatedDiscovery(core: boolean, v: 'v2' | 'v2beta1'): JsonMap {
  const items: JsonMap[] = [];
  for (const [name, versions] of groups()) {
    if ((name === '') !== core) continue;
    items.push({
      metadata: { name, creationTimestamp: null },
      versions: versions.map((version) => ({
        version,
        resources: inGroupVersion(name, version).map(discoveryResource),
        freshness: 'Current',
      })),
    });
  }
  return { kind: 'APIGroupDiscoveryList', apiVersion: `apidiscovery.k8s.io/${v}`, metadata: {}, items };
}
