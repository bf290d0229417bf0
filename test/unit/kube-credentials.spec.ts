import { describe, expect, it } from '@jest/globals';
import { toKubeConfig } from '../../src/modules/clusters/kube/kube-credentials.js';

describe('kubeconfig built from stored credentials', () => {
  it('names its user after the cluster, so merged kubeconfigs of two clusters keep both credentials', () => {
    const a = toKubeConfig('eu-1', { kind: 'token', server: 'https://eu-1.example:6443', token: 'a' });
    const b = toKubeConfig('us-1', { kind: 'client-certificate', server: 'https://us-1.example:6443', certData: 'Y2VydA==', keyData: 'a2V5' });
    expect(a.getCurrentUser()).toMatchObject({ name: 'berth@eu-1', token: 'a' });
    expect(b.getCurrentUser()).toMatchObject({ name: 'berth@us-1', certData: 'Y2VydA==' });
    expect(a.getContextObject('eu-1')).toMatchObject({ cluster: 'eu-1', user: 'berth@eu-1' });
  });
});
