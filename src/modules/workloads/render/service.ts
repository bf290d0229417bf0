// The web process's Service: a stable in-cluster address Ingresses route to.
import type { IService } from 'kubernetes-models/v1/Service';
import { namespacedMeta, processLabels, selectorLabels } from './metadata.js';
import { SERVICE_PORT, WEB } from './names.js';
import type { KubernetesObject, RenderInput } from './render.types.js';

export function renderWebService(input: RenderInput, webPort: number): KubernetesObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: namespacedMeta(input, WEB, processLabels(WEB)),
    spec: {
      type: 'ClusterIP',
      // Same stable selector as the Deployment: old and new release pods both serve mid-rollout.
      selector: selectorLabels(input, WEB),
      ports: [{ name: 'http', port: SERVICE_PORT, targetPort: webPort, protocol: 'TCP' }],
    },
  } satisfies IService;
}
