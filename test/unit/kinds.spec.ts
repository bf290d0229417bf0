import { describe, expect, it } from '@jest/globals';
import { KINDS } from '../../src/common/kubernetes/kinds.js';
import { resourcePath } from '../../src/modules/clusters/kube/kube-http.js';
import { MANAGED_KINDS } from '../../src/modules/workloads/render/object-key.js';

describe('the one kind table', () => {
  it('gives the renderers the managed kinds in apply order, Namespace first', () => {
    expect(MANAGED_KINDS.map((k) => k.kind)).toEqual(['Namespace', 'ServiceAccount', 'Secret', 'ResourceQuota', 'LimitRange', 'NetworkPolicy', 'Deployment', 'Service', 'Ingress', 'HorizontalPodAutoscaler', 'PodDisruptionBudget']);
  });

  it('gives the gateway a REST path for every kind, managed or read', () => {
    expect(KINDS.filter((k) => !k.managed).map((k) => k.kind)).toEqual(['ConfigMap', 'Pod', 'Event', 'ReplicaSet']);
    expect(resourcePath('v1', 'Namespace', undefined, 'a-b')).toBe('/api/v1/namespaces/a-b');
    expect(resourcePath('apps/v1', 'ReplicaSet', 'ns', undefined)).toBe('/apis/apps/v1/namespaces/ns/replicasets');
    expect(() => resourcePath('batch/v1', 'Job', 'ns')).toThrow(/does not manage batch\/v1 Job/);
  });
});
