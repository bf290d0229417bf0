// A HorizontalPodAutoscaler per autoscaled process type, on CPU utilisation of the requests.
import type { IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { namespacedMeta, processLabels } from './metadata.js';
import type { KubernetesObject, RenderInput, RenderProcessType } from './render.types.js';

export function renderAutoscaler(input: RenderInput, p: RenderProcessType, autoscaling: NonNullable<RenderProcessType['autoscaling']>): KubernetesObject {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: namespacedMeta(input, p.type, processLabels(p.type)),
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: p.type },
      minReplicas: autoscaling.min,
      maxReplicas: autoscaling.max,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: autoscaling.targetCpu } } }],
    },
  } satisfies IHorizontalPodAutoscaler;
}
