import { describe, expect, it } from '@jest/globals';
import { isSubset, objectKey, parseObjectKey } from '../../../src/modules/workloads/drift.js';
import { backoffMs } from '../../../src/modules/work-queue/work-queue.service.js';

describe('drift detection', () => {
  const desired = { metadata: { name: 'web', labels: { a: '1' } }, spec: { replicas: 2, template: { spec: { containers: [{ name: 'web', image: 'x:1', ports: [{ containerPort: 8080 }] }] } } } };

  it('accepts live objects that only add fields (defaults, status)', () => {
    const live = { metadata: { name: 'web', uid: 'u', labels: { a: '1', extra: 'y' } }, spec: { replicas: 2, progressDeadlineSeconds: 600, template: { spec: { containers: [{ name: 'web', image: 'x:1', imagePullPolicy: 'IfNotPresent', ports: [{ containerPort: 8080, protocol: 'TCP' }] }] } } }, status: { replicas: 2 } };
    expect(isSubset(desired, live)).toBe(true);
  });

  it('notices a changed value, a removed field and a changed list', () => {
    expect(isSubset(desired, { ...desired, spec: { ...desired.spec, replicas: 5 } })).toBe(false);
    expect(isSubset(desired, { metadata: { name: 'web' }, spec: desired.spec })).toBe(false);
    expect(isSubset(desired, { ...desired, spec: { ...desired.spec, template: { spec: { containers: [] } } } })).toBe(false);
  });

  it('round-trips object keys, cluster-scoped and namespaced', () => {
    const ns = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a-b' } };
    const dep = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'a-b' } };
    expect(parseObjectKey(objectKey(ns))).toEqual(ns);
    expect(parseObjectKey(objectKey(dep))).toEqual(dep);
  });
});

describe('queue backoff', () => {
  it('grows exponentially, is capped at five minutes, and is jittered', () => {
    expect(backoffMs(1, () => 0.999)).toBeLessThan(backoffMs(4, () => 0.999));
    expect(backoffMs(30, () => 0.999)).toBeLessThanOrEqual(300_000);
    expect(backoffMs(5, () => 0)).toBe(0);
    expect(backoffMs(5, () => 0.5)).toBe(backoffMs(5, () => 1) / 2);
  });
});
