// PodDisruptionBudgets keep node drains from taking a production process type down at once.
import type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { namespacedMeta, processLabels, selectorLabels } from './metadata.js';
import type { KubernetesObject, RenderInput, RenderProcessType } from './render.types.js';

/** Only where a budget can help: production, and more than one pod (or an autoscaler adding some). */
export function needsDisruptionBudget(input: RenderInput, p: RenderProcessType): boolean {
  return input.environment.production && (p.autoscaling !== null || p.replicas >= 2);
}

/**
 * maxUnavailable rather than minAvailable: it never blocks a drain outright (one pod may always
 * go), whatever the replica count. AlwaysAllow lets a drain evict pods that are not ready anyway
 * (a crash-looping release), which would otherwise hold the node forever.
 */
export function renderDisruptionBudget(input: RenderInput, p: RenderProcessType): KubernetesObject {
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: namespacedMeta(input, p.type, processLabels(p.type)),
    spec: {
      maxUnavailable: 1,
      selector: { matchLabels: selectorLabels(input, p.type) },
      unhealthyPodEvictionPolicy: 'AlwaysAllow',
    },
  } satisfies IPodDisruptionBudget;
}
