import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SandboxCluster } from '../src/index.js';
import { at, fastCluster, http, kubectl } from './helpers.js';

let cluster: SandboxCluster;
beforeAll(async () => {
  cluster = await fastCluster();
});
afterAll(async () => {
  await cluster.stop();
});

describe('OpenAPI', () => {
  it('kubectl explain reads field documentation from the v3 documents', async () => {
    const r = await kubectl(cluster, ['explain', 'deployment.spec.replicas']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('FIELD: replicas <integer>');
    expect(r.stdout).toContain('Number of desired pods');
    const nested = await kubectl(cluster, ['explain', 'ingress.spec.rules.http.paths.pathType']);
    expect(nested.code).toBe(0);
    expect(nested.stdout).toContain('pathType <string>');
  });

  it('serves a v3 document per group-version with schemas, operations and content hashes', async () => {
    const root = await http(cluster, 'GET', '/openapi/v3');
    const url = String(at(root.body, 'paths.apis/apps/v1.serverRelativeURL'));
    expect(url).toMatch(/^\/openapi\/v3\/apis\/apps\/v1\?hash=[0-9a-f]{128}$/);
    const doc = await http(cluster, 'GET', url);
    const schemas = at(doc.body, 'components.schemas') as Record<string, Record<string, unknown>>;
    expect(schemas['io.k8s.api.apps.v1.Deployment']?.['x-kubernetes-group-version-kind']).toEqual([{ group: 'apps', kind: 'Deployment', version: 'v1' }]);
    expect(at(schemas['io.k8s.api.apps.v1.DeploymentSpec'], 'properties.template.allOf.0.$ref')).toBe('#/components/schemas/io.k8s.api.core.v1.PodTemplateSpec');
    // Every reference resolves inside the document.
    for (const ref of JSON.stringify(doc.body).match(/#\/components\/schemas\/[^"]+/g) ?? []) expect(schemas[ref.slice('#/components/schemas/'.length)]).toBeDefined();
    const params = at(doc.body, 'paths./apis/apps/v1/namespaces/{namespace}/deployments.post.parameters') as { name: string }[];
    expect(params.map((p) => p.name)).toContain('fieldValidation');
  });

  it('serves /openapi/v2 as JSON (and 406 to a protobuf-only Accept)', async () => {
    const json = await http(cluster, 'GET', '/openapi/v2', undefined, 'application/json', { accept: 'application/json' });
    expect(json.body['swagger']).toBe('2.0');
    const defs = json.body['definitions'] as Record<string, unknown>;
    expect(at(defs['io.k8s.api.core.v1.PodSpec'], 'properties.containers.items.$ref')).toBe('#/definitions/io.k8s.api.core.v1.Container');
    const pb = await http(cluster, 'GET', '/openapi/v2', undefined, 'application/json', { accept: 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf' });
    expect(pb.status).toBe(406);
  });
});

describe('the generated type definitions', () => {
  it('are current: regenerating them from the installed kubernetes-models gives the committed file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'schemas-'));
    try {
      const script = new URL('../scripts/gen-schemas.mjs', import.meta.url).pathname;
      execFileSync(process.execPath, [script, join(dir, 'definitions.json')]);
      const committed = readFileSync(new URL('../src/schema/definitions.json', import.meta.url), 'utf8');
      expect(readFileSync(join(dir, 'definitions.json'), 'utf8') === committed).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
