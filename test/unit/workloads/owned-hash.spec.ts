// The owned-fields hash informers keep per object: equal for a rendered object and the live object
// Berth applied it as, different when a field Berth owns changes or is taken over, unchanged by
// fields others own; Secret data never counts.
import { describe, expect, it } from '@jest/globals';
import type { KubeObject } from '../../../src/modules/clusters/kube/kube-gateway.js';
import { desiredHash, liveHash } from '../../../src/modules/workloads/owned-hash.js';

const desired: KubeObject = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'shop-prod', labels: { 'app.kubernetes.io/managed-by': 'berth' } },
  spec: { replicas: 2, template: { spec: { containers: [{ name: 'web', image: 'example.com/app:1', ports: [{ containerPort: 8080 }] }] } } },
};

const berthFields = {
  'f:metadata': { 'f:labels': { '.': {}, 'f:app.kubernetes.io/managed-by': {} } },
  'f:spec': {
    'f:replicas': {},
    'f:template': { 'f:spec': { 'f:containers': { 'k:{"name":"web"}': { '.': {}, 'f:name': {}, 'f:image': {}, 'f:ports': { 'k:{"containerPort":8080,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {} } } } } } },
  },
};

/** What the API server keeps after Berth's apply: defaults, status and another manager's label added. */
function live(over: { image?: string; fields?: object; extraLabel?: boolean } = {}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'web',
      namespace: 'shop-prod',
      resourceVersion: '42',
      labels: { 'app.kubernetes.io/managed-by': 'berth', ...(over.extraLabel ? { owner: 'ops' } : {}) },
      managedFields: [
        { manager: 'berth', operation: 'Apply', apiVersion: 'apps/v1', fieldsV1: over.fields ?? berthFields },
        { manager: 'kube-controller-manager', operation: 'Update', subresource: 'status', apiVersion: 'apps/v1', fieldsV1: { 'f:status': {} } },
      ],
    },
    spec: {
      replicas: 2,
      strategy: { type: 'RollingUpdate' },
      template: { spec: { containers: [{ name: 'web', image: over.image ?? 'example.com/app:1', imagePullPolicy: 'IfNotPresent', ports: [{ containerPort: 8080, protocol: 'TCP' }] }] } },
    },
    status: { readyReplicas: 2 },
  };
}

describe('owned-fields hashes', () => {
  it('match between the rendering and the live object Berth applied, whatever the server added', () => {
    expect(liveHash(live())).toBe(desiredHash(desired));
  });

  it('ignore fields others own', () => {
    expect(liveHash(live({ extraLabel: true }))).toBe(desiredHash(desired));
  });

  it('differ when a value Berth owns was edited', () => {
    expect(liveHash(live({ image: 'example.com/tampered:9' }))).not.toBe(desiredHash(desired));
  });

  it('differ when someone took a field over (Berth no longer owns it)', () => {
    const taken = structuredClone(berthFields) as { 'f:spec': Record<string, unknown> };
    delete taken['f:spec']['f:replicas'];
    expect(liveHash(live({ fields: taken }))).not.toBe(desiredHash(desired));
  });

  it('say "not owned" when Berth has no apply entry', () => {
    const object = live();
    object.metadata.managedFields = [];
    expect(liveHash(object)).toBe('not-owned');
  });

  it('leave a Secret\'s data out on both sides', () => {
    const secret: KubeObject = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'env', namespace: 'shop-prod' }, type: 'Opaque', data: { A: 'YQ==' } };
    const applied: KubeObject = { ...secret, data: { A: 'Yg==' }, metadata: { ...secret.metadata, managedFields: [{ manager: 'berth', operation: 'Apply', fieldsV1: { 'f:type': {}, 'f:data': { '.': {}, 'f:A': {} } } }] } };
    expect(liveHash(applied)).toBe(desiredHash(secret));
    expect(desiredHash({ ...secret, data: { A: 'Yg==' } })).toBe(desiredHash(secret));
  });
});
