// Golden files for the renderers: each case in cases.ts renders to YAML that must match
// test/fixtures/render/<case>.yaml byte for byte, so any change in what Berth applies shows up as
// a failing test and, once accepted, as a reviewable diff. To accept an intended change:
//   UPDATE_GOLDEN=1 NODE_OPTIONS=--experimental-vm-modules npx jest test/unit/render
// then review `git diff test/fixtures/render`. Every rendered object is also validated against
// the Kubernetes OpenAPI schema (kubernetes-models).
import { readFile, writeFile } from 'node:fs/promises';
import { describe, expect, it } from '@jest/globals';
import { stringify } from 'yaml';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { LimitRange } from 'kubernetes-models/v1/LimitRange';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { ResourceQuota } from 'kubernetes-models/v1/ResourceQuota';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import { MANAGED_KINDS, renderEnvironment } from '../../../src/modules/workloads/render/render-environment.js';
import type { KubernetesObject } from '../../../src/modules/workloads/render/render.types.js';
import { CASES } from './cases.js';

type ModelClass = new (data: never) => { validate(): void };

/** apiVersion/kind → schema model, for every kind Berth manages. */
const MODELS: Record<string, ModelClass> = {
  'v1/Namespace': Namespace,
  'v1/ServiceAccount': ServiceAccount,
  'v1/Secret': Secret,
  'v1/ResourceQuota': ResourceQuota,
  'v1/LimitRange': LimitRange,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
  'apps/v1/Deployment': Deployment,
  'v1/Service': Service,
  'networking.k8s.io/v1/Ingress': Ingress,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
};

/** Multi-document YAML in render order; no line folding, so long commands stay on one line. */
function toYaml(objects: KubernetesObject[]): string {
  return objects.map((o) => stringify(o, { sortMapEntries: false, lineWidth: 0, aliasDuplicateObjects: false })).join('---\n');
}

function schemaErrors(object: KubernetesObject): string[] {
  const Model = MODELS[`${object.apiVersion}/${object.kind}`];
  if (!Model) return [`no schema model for ${object.apiVersion} ${object.kind}`];
  try {
    new Model(object as never).validate();
    return [];
  } catch (error) {
    const details = (error as { errors?: Array<{ instancePath: string; message: string }> }).errors;
    return details?.length ? details.map((d) => `${d.instancePath} ${d.message}`) : [String(error)];
  }
}

describe('renderer golden files', () => {
  it.each(Object.keys(CASES))('%s renders exactly as its golden file', async (name) => {
    const path = `test/fixtures/render/${name}.yaml`;
    const text = toYaml(renderEnvironment(CASES[name]!));
    if (process.env.UPDATE_GOLDEN === '1') await writeFile(path, text);
    // A missing golden file fails here too (readFile throws): a new case must be generated on purpose.
    expect(text).toEqual(await readFile(path, 'utf8'));
  });

  it('every case round-trips through YAML unchanged (what is compared is what is applied)', async () => {
    const { parseAllDocuments } = await import('yaml');
    for (const input of Object.values(CASES)) {
      const objects = renderEnvironment(input);
      expect(parseAllDocuments(toYaml(objects)).map((d) => d.toJS())).toEqual(objects);
    }
  });
});

describe('renderer output against the Kubernetes OpenAPI schema', () => {
  it('has a schema model for every managed kind', () => {
    expect(Object.keys(MODELS).sort()).toEqual(MANAGED_KINDS.map((k) => `${k.apiVersion}/${k.kind}`).sort());
  });

  it.each(Object.keys(CASES))('%s: every object validates', (name) => {
    const errors = renderEnvironment(CASES[name]!).flatMap((o) => schemaErrors(o).map((e) => `${o.kind}/${o.metadata.name}: ${e}`));
    expect(errors).toEqual([]);
  });

  it('the validator does reject a broken object (the check is not vacuous)', () => {
    const deployment = renderEnvironment(CASES['web-worker-domains']!).find((o) => o.kind === 'Deployment')!;
    const broken = { ...deployment, spec: { ...(deployment.spec as object), replicas: 'two' } } as KubernetesObject;
    expect(schemaErrors(broken).length).toBeGreaterThan(0);
  });
});
