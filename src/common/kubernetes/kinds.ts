// The ONE table of Kubernetes kinds Berth knows: those it renders and applies (managed, in apply
// order) and those it only reads (status, logs). The renderers take the managed ones for apply and
// prune order (workloads/render/object-key.ts); the gateway takes every one for REST paths
// (clusters/kube/kube-http.ts). A new kind goes here once.

export interface KnownKind {
  apiVersion: string;
  kind: string;
  /** The REST resource name: /api(s)/<apiVersion>/[namespaces/<ns>/]<plural>. */
  plural: string;
  namespaced: boolean;
  /** Rendered and applied by Berth (and pruned when no longer rendered); otherwise only read. */
  managed: boolean;
}

/**
 * Managed kinds in apply order: the Namespace first (everything lives in it), then what pods need
 * before they start (ServiceAccount, Secrets, quota, defaults, isolation), then the workloads and
 * what routes to or scales them. Prune goes in reverse. Read-only kinds follow.
 */
export const KINDS: readonly KnownKind[] = Object.freeze([
  { apiVersion: 'v1', kind: 'Namespace', plural: 'namespaces', namespaced: false, managed: true },
  { apiVersion: 'v1', kind: 'ServiceAccount', plural: 'serviceaccounts', namespaced: true, managed: true },
  { apiVersion: 'v1', kind: 'Secret', plural: 'secrets', namespaced: true, managed: true },
  { apiVersion: 'v1', kind: 'ResourceQuota', plural: 'resourcequotas', namespaced: true, managed: true },
  { apiVersion: 'v1', kind: 'LimitRange', plural: 'limitranges', namespaced: true, managed: true },
  { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', plural: 'networkpolicies', namespaced: true, managed: true },
  { apiVersion: 'apps/v1', kind: 'Deployment', plural: 'deployments', namespaced: true, managed: true },
  { apiVersion: 'v1', kind: 'Service', plural: 'services', namespaced: true, managed: true },
  { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', plural: 'ingresses', namespaced: true, managed: true },
  { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', plural: 'horizontalpodautoscalers', namespaced: true, managed: true },
  { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', plural: 'poddisruptionbudgets', namespaced: true, managed: true },
  { apiVersion: 'v1', kind: 'ConfigMap', plural: 'configmaps', namespaced: true, managed: false },
  { apiVersion: 'v1', kind: 'Pod', plural: 'pods', namespaced: true, managed: false },
  { apiVersion: 'v1', kind: 'Event', plural: 'events', namespaced: true, managed: false },
  { apiVersion: 'apps/v1', kind: 'ReplicaSet', plural: 'replicasets', namespaced: true, managed: false },
].map((k) => Object.freeze(k)));

export function knownKind(apiVersion: string, kind: string): KnownKind | undefined {
  return KINDS.find((k) => k.apiVersion === apiVersion && k.kind === kind);
}
