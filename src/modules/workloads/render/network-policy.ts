// Team isolation: pods of an environment accept traffic from the team's own namespaces and from
// the ingress controller only. Egress is not restricted (apps call databases and APIs anywhere).
import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { namespacedMeta } from './metadata.js';
import { DEFAULT_INGRESS_NAMESPACE, NETWORK_POLICY_NAME } from './names.js';
import { LABELS, type KubernetesObject, type RenderInput } from './render.types.js';

/**
 * Namespaces are matched by `kubernetes.io/metadata.name`, which the API server sets on every
 * namespace and nobody can change. Anything else (e.g. a Prometheus in another namespace) is
 * denied until added here. The environment's own namespace carries the team label, so pods of
 * one environment reach each other.
 */
export function renderNetworkPolicy(input: RenderInput): KubernetesObject {
  const ingressNamespace = input.cluster.ingressControllerNamespace || DEFAULT_INGRESS_NAMESPACE;
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: namespacedMeta(input, NETWORK_POLICY_NAME),
    spec: {
      podSelector: {},
      policyTypes: ['Ingress'],
      ingress: [
        {
          from: [
            { namespaceSelector: { matchLabels: { [LABELS.team]: input.team.name } } },
            { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': ingressNamespace } } },
          ],
        },
      ],
    },
  } satisfies INetworkPolicy;
}
