// Representative renderer inputs, shared by the golden-file and property tests. Ids and times are
// fixed strings: the renderers must not need anything else to be deterministic.
import { SIZES } from '../../../src/modules/sizes/sizes.catalogue.js';
import type { RenderInput, RenderProcessType, RenderSize } from '../../../src/modules/workloads/render/render.types.js';

function size(name: string): RenderSize {
  const s = SIZES.find((x) => x.name === name)!;
  return { name: s.name, cpuRequest: s.cpuRequest, cpuLimit: s.cpuLimit, memoryRequest: s.memoryRequest, memoryLimit: s.memoryLimit };
}

export const web = (over: Partial<RenderProcessType> = {}): RenderProcessType => ({
  type: 'web', command: null, replicas: 2, size: size('small'), autoscaling: null, port: 5000, healthCheckPath: '/health', ...over,
});

export const worker = (over: Partial<RenderProcessType> = {}): RenderProcessType => ({
  type: 'worker', command: 'bundle exec sidekiq -C config/sidekiq.yml', replicas: 1, size: size('medium'), autoscaling: null, port: null, healthCheckPath: null, ...over,
});

/** A staging environment with one release deployed; other cases are variations of it. */
export function baseInput(over: Partial<RenderInput> = {}): RenderInput {
  return {
    team: { id: '0192f5a0-0000-7000-8000-00000000000a', name: 'acme' },
    app: { id: '0192f5a0-0000-7000-8000-00000000000b', name: 'storefront' },
    environment: { id: '0192f5a0-0000-7000-8000-00000000000c', name: 'staging', namespace: 'storefront-staging', production: false },
    release: {
      number: 7,
      image: 'ghcr.io/acme/storefront@sha256:4f0c6a3e2b1d9c8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e',
      config: { SECRET_KEY_BASE: 's3cr3t-value-not-for-deployments', DATABASE_URL: 'postgres://storefront:pw@db.internal:5432/storefront', LOG_LEVEL: 'verbose-debugging' },
    },
    previousRelease: { number: 6 },
    processTypes: [web(), worker()],
    domains: ['shop.acme.test', 'www.acme.test'],
    quota: { cpuMillis: 2000, memoryMib: 4096, pods: 9 },
    imagePullSecret: null,
    restartedAt: null,
    cluster: { ingressClassName: 'nginx' },
    ...over,
  };
}

const DOCKER_CONFIG = '{"auths":{"registry.acme.test":{"auth":"Y2k6dG9rZW4="}}}';

export const CASES: Record<string, RenderInput> = {
  // Never deployed: namespace, identity, quota and isolation only.
  'minimal-staging': baseInput({ release: null, previousRelease: null, processTypes: [web({ replicas: 1 })], domains: [], quota: { cpuMillis: 250, memoryMib: 512, pods: 3 }, cluster: { ingressClassName: null } }),
  'web-worker-domains': baseInput(),
  'production-autoscaled': baseInput({
    environment: { id: '0192f5a0-0000-7000-8000-00000000000d', name: 'production', namespace: 'storefront-production', production: true },
    release: { number: 12, image: 'registry.acme.test/storefront:2026.11.28', config: { RAILS_ENV: 'production' } },
    previousRelease: { number: 11 },
    processTypes: [web({ size: size('large'), autoscaling: { min: 3, max: 12, targetCpu: 65 }, healthCheckPath: null }), worker({ replicas: 2 }), worker({ type: 'clock', command: 'bin/clock', replicas: 1 })],
    domains: ['*.acme.test', 'acme.test'],
    quota: { cpuMillis: 16000, memoryMib: 28672, pods: 40 },
    imagePullSecret: { registry: 'registry.acme.test', dockerConfigJson: DOCKER_CONFIG },
    cluster: { ingressClassName: 'public', ingressControllerNamespace: 'ingress-public' },
  }),
  // An image that needs root, on a cluster whose admin allows it: baseline Pod Security, short deadline.
  'security-root': baseInput({
    environment: { id: '0192f5a0-0000-7000-8000-000000000011', name: 'legacy', namespace: 'storefront-legacy', production: false, securityProfile: 'root', progressDeadlineSeconds: 120 },
    processTypes: [web({ replicas: 1, port: 80, healthCheckPath: null })],
    domains: [],
  }),
  'security-image-user': baseInput({
    environment: { id: '0192f5a0-0000-7000-8000-000000000012', name: 'own-user', namespace: 'storefront-own-user', production: false, securityProfile: 'image_user' },
    processTypes: [worker()],
    domains: [],
  }),
  'restart-annotation': baseInput({ restartedAt: '2026-11-28T09:30:00.000Z', processTypes: [worker()], domains: [] }),
  'long-names': baseInput({
    team: { id: '0192f5a0-0000-7000-8000-00000000000e', name: 'team-with-a-rather-long-name-for-labels1' },
    app: { id: '0192f5a0-0000-7000-8000-00000000000f', name: 'an-application-name-of-forty-characters1' },
    environment: { id: '0192f5a0-0000-7000-8000-000000000010', name: 'review-pr-1234-feature', namespace: 'an-application-name-of-forty-characters1-review-pr-1234-feature', production: false },
    processTypes: [web({ port: 8080, healthCheckPath: null, replicas: 1 })],
    domains: [
      'review-pr-1234-feature.an-application-name-of-forty-characters1.preview.acme.test',
      'pr1234.preview.acme.test',
      'a-b.acme.test',
      'a.b-acme.test',
    ],
  }),
};
