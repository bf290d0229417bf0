// The environment's share of the team quota as a ResourceQuota, and container defaults as a
// LimitRange (so a pod without resources, e.g. one started by hand, is still admitted and counted).
import type { ILimitRange } from 'kubernetes-models/v1/LimitRange';
import type { IResourceQuota } from 'kubernetes-models/v1/ResourceQuota';
import { DEFAULT_SIZE, findSize, SIZES, type Size } from '../../sizes/sizes.catalogue.js';
import { namespacedMeta } from './metadata.js';
import { LIMIT_RANGE_NAME, QUOTA_NAME } from './names.js';
import { cpuQuantity, memoryQuantity } from './quantity.js';
import type { KubernetesObject, RenderInput } from './render.types.js';

/**
 * Requests and pods only. Berth's quota arithmetic is on requests (what the scheduler reserves);
 * limits are derived from sizes and would need a second budget the team never sees.
 */
export function renderResourceQuota(input: RenderInput): KubernetesObject {
  return {
    apiVersion: 'v1',
    kind: 'ResourceQuota',
    metadata: namespacedMeta(input, QUOTA_NAME),
    spec: {
      hard: {
        'requests.cpu': cpuQuantity(input.quota.cpuMillis),
        'requests.memory': memoryQuantity(input.quota.memoryMib),
        pods: String(input.quota.pods),
      },
    },
  } satisfies IResourceQuota;
}

function largestSize(): Size {
  return SIZES.reduce((a, b) => (b.cpuMillis > a.cpuMillis ? b : a));
}

/**
 * Defaults are the default size. The maximum is the largest size in the catalogue, not the
 * environment's quota: a LimitRange max applies to limits as well as requests, sizes' limits
 * exceed their requests (small: 250m requested, 500m limit), and the quota is a sum of requests,
 * so "max = quota" would reject the pods of a one-dyno environment. The quota itself is enforced
 * by the ResourceQuota.
 */
export function renderLimitRange(input: RenderInput): KubernetesObject {
  const small = findSize(DEFAULT_SIZE) ?? SIZES[0]!;
  const largest = largestSize();
  return {
    apiVersion: 'v1',
    kind: 'LimitRange',
    metadata: namespacedMeta(input, LIMIT_RANGE_NAME),
    spec: {
      limits: [
        {
          type: 'Container',
          default: { cpu: small.cpuLimit, memory: small.memoryLimit },
          defaultRequest: { cpu: small.cpuRequest, memory: small.memoryRequest },
          max: { cpu: largest.cpuLimit, memory: largest.memoryLimit },
        },
      ],
    },
  } satisfies ILimitRange;
}
