// Golden-file and schema tests for the renderers. To accept an intended change in the output:
//   UPDATE_GOLDEN=1 NODE_OPTIONS=--experimental-vm-modules npx jest test/unit/workloads/render.spec.ts
// and review the diff of test/fixtures/render/*.yaml.
import { readFile, writeFile } from 'node:fs/promises';
import { describe, expect, it } from '@jest/globals';
import { stringify } from 'yaml';
import { ingressName, renderEnvironment, retainedSecretNames } from '../../../src/modules/workloads/render/render-environment.js';
import type { KubernetesObject, RenderInput } from '../../../src/modules/workloads/render/render.types.js';
import { schemaErrors } from '../../deploy/support.js';

const small = { name: 'small', cpuRequest: '250m', cpuLimit: '500m', memoryRequest: '512Mi', memoryLimit: '512Mi' };
const medium = { name: 'medium', cpuRequest: '500m', cpuLimit: '1', memoryRequest: '1Gi', memoryLimit: '1Gi' };

function input(overrides: Partial<RenderInput> = {}): RenderInput {
  return {
    team: { id: '01a22269-0000-7000-8000-000000000001', name: 'payments' },
    app: { id: '01a22269-0000-7000-8000-000000000002', name: 'checkout' },
    environment: { id: '01a22269-0000-7000-8000-000000000003', name: 'staging', namespace: 'checkout-staging', production: false },
    release: { number: 3, image: 'registry.example.com/payments/checkout:1.4.2', config: { DATABASE_URL: 'postgres://db/checkout', LOG_LEVEL: 'info' } },
    previousRelease: { number: 2 },
    processTypes: [
      { type: 'web', command: null, replicas: 2, size: small, autoscaling: null, port: 8080, healthCheckPath: '/healthz' },
      { type: 'worker', command: 'npm run worker', replicas: 1, size: small, autoscaling: null, port: null, healthCheckPath: null },
    ],
    domains: ['checkout.staging.example.com'],
    quota: { cpuMillis: 4000, memoryMib: 8192, pods: 7 },
    imagePullSecret: null,
    restartedAt: null,
    cluster: { ingressClassName: 'nginx' },
    ...overrides,
  };
}

const CASES: Record<string, RenderInput> = {
  'never-deployed': input({ release: null, previousRelease: null, processTypes: [], domains: [] }),
  'web-and-worker': input(),
  'production-autoscaled-private-image': input({
    environment: { id: '01a22269-0000-7000-8000-000000000004', name: 'production', namespace: 'checkout-production', production: true },
    processTypes: [{ type: 'web', command: null, replicas: 3, size: medium, autoscaling: { min: 3, max: 10, targetCpu: 70 }, port: 8080, healthCheckPath: null }],
    imagePullSecret: { registry: 'registry.example.com', dockerConfigJson: '{"auths":{"registry.example.com":{"username":"ci","password":"x","auth":"Y2k6eA=="}}}' },
    domains: ['checkout.example.com', '*.checkout.example.com'],
  }),
  restarted: input({ restartedAt: '2026-11-28T12:00:00.000Z', domains: [] }),
};

async function golden(name: string, objects: KubernetesObject[]): Promise<void> {
  const path = `test/fixtures/render/${name}.yaml`;
  const text = objects.map((o) => stringify(o, { sortMapEntries: false })).join('---\n');
  if (process.env.UPDATE_GOLDEN === '1') await writeFile(path, text);
  expect(text).toEqual(await readFile(path, 'utf8'));
}

describe('renderers', () => {
  it.each(Object.keys(CASES))('renders %s exactly as its golden file', async (name) => {
    await golden(name, renderEnvironment(CASES[name]!));
  });

  it.each(Object.keys(CASES))('renders %s into objects that validate against the Kubernetes schema', async (name) => {
    const errors: string[] = [];
    for (const object of renderEnvironment(CASES[name]!)) errors.push(...(await schemaErrors(object as never)).map((e) => `${object.kind}/${object.metadata.name}: ${e}`));
    expect(errors).toEqual([]);
  });

  it('is pure: the same input renders the same objects and is not changed', () => {
    const given = input();
    const copy = structuredClone(given);
    expect(renderEnvironment(given)).toEqual(renderEnvironment(given));
    expect(given).toEqual(copy);
  });

  it('labels every object for pruning and puts the namespace first', () => {
    const objects = renderEnvironment(input());
    expect(objects[0]!.kind).toBe('Namespace');
    for (const o of objects) {
      expect(o.metadata.labels).toMatchObject({ 'app.kubernetes.io/managed-by': 'berth', 'berth.dev/environment-id': input().environment.id, 'berth.dev/team': 'payments' });
      expect(o.metadata.name).toMatch(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/);
      expect(o.metadata.name.length).toBeLessThanOrEqual(63);
    }
  });

  it('keeps config values in the release Secret only', () => {
    const objects = renderEnvironment(input());
    const outside = JSON.stringify(objects.filter((o) => o.kind !== 'Secret'));
    expect(outside).not.toContain('postgres://db/checkout');
    const secret = objects.find((o) => o.kind === 'Secret' && o.metadata.name === 'release-v3') as KubernetesObject & { immutable: boolean; data: Record<string, string> };
    expect(secret.immutable).toBe(true);
    expect(Buffer.from(secret.data.DATABASE_URL!, 'base64').toString()).toBe('postgres://db/checkout');
    expect(retainedSecretNames(input())).toEqual(['release-v3', 'release-v2']);
  });

  it('never puts the release in a selector, and leaves replicas to the HPA when autoscaling', () => {
    const objects = renderEnvironment(CASES['production-autoscaled-private-image']!) as Array<KubernetesObject & { spec?: { replicas?: number; selector?: { matchLabels: Record<string, string> } } }>;
    const web = objects.find((o) => o.kind === 'Deployment')!;
    expect(web.spec!.replicas).toBeUndefined();
    expect(Object.keys(web.spec!.selector!.matchLabels)).not.toContain('berth.dev/release');
    expect(objects.some((o) => o.kind === 'HorizontalPodAutoscaler')).toBe(true);
    expect(objects.some((o) => o.kind === 'PodDisruptionBudget')).toBe(true);
  });

  it('renders PDBs only for production, and Service and Ingress only with a web port', () => {
    expect(renderEnvironment(input()).some((o) => o.kind === 'PodDisruptionBudget')).toBe(false);
    const workerOnly = renderEnvironment(input({ processTypes: [input().processTypes[1]!] }));
    expect(workerOnly.some((o) => o.kind === 'Service' || o.kind === 'Ingress')).toBe(false);
  });

  it('names ingresses within 63 characters, distinct for distinct hosts', () => {
    const long = `${'a'.repeat(60)}.${'b'.repeat(60)}.example.com`;
    expect(ingressName(long).length).toBeLessThanOrEqual(63);
    expect(ingressName(long)).not.toBe(ingressName(long.replace('a', 'c')));
    expect(ingressName('*.example.com')).toBe('domain-wildcard-example-com');
  });
});
