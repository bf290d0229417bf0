import { describe, expect, it } from '@jest/globals';
import { ALLOW_ROOT_LABEL, profileOf, profileRefusal } from '../../../src/modules/workloads/render/security.js';
import { missingDeployments } from '../../../src/modules/workloads/status-observer.service.js';

describe('security profiles', () => {
  it('defaults to restricted for anything unknown', () => {
    expect(profileOf(undefined)).toBe('restricted');
    expect(profileOf('superuser')).toBe('restricted');
    expect(profileOf('image_user')).toBe('image_user');
  });

  it('allows root only on clusters a platform admin labelled, and says how otherwise', () => {
    expect(profileRefusal('restricted', 'eu-1', {})).toBeNull();
    expect(profileRefusal('image_user', 'eu-1', {})).toBeNull();
    expect(profileRefusal('root', 'eu-1', { [ALLOW_ROOT_LABEL]: 'true' })).toBeNull();
    expect(profileRefusal('root', 'eu-1', { [ALLOW_ROOT_LABEL]: 'yes' })).toMatch(/not allowed on cluster eu-1: .*berth\.dev\/allow-root=true/);
    expect(profileRefusal('root', 'eu-1', {})).toMatch(/uid 10001/);
  });
});

describe('missing objects', () => {
  it('counts Deployments Berth applied that the cluster no longer lists', () => {
    const applied = ['v1/Namespace//shop-prod#ab', 'apps/v1/Deployment/shop-prod/web#cd', 'apps/v1/Deployment/shop-prod/worker#ef', 'v1/Service/shop-prod/web#01'];
    expect(missingDeployments(applied, 2)).toBe(0);
    expect(missingDeployments(applied, 1)).toBe(1);
    expect(missingDeployments(applied, 0)).toBe(2);
    expect(missingDeployments([], 0)).toBe(0);
  });
});
