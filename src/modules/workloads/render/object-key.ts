// Identity of rendered objects, and the kinds Berth manages: what apply and prune iterate over.

export interface ManagedKind {
  apiVersion: string;
  kind: string;
  /** The REST resource name: /api(s)/<apiVersion>/[namespaces/<ns>/]<plural>. */
  plural: string;
  namespaced: boolean;
}

/**
 * Every kind the renderers produce, in apply order: the Namespace first (everything lives in it),
 * then what pods need before they start (ServiceAccount, Secrets, quota, defaults, isolation),
 * then the workloads and what routes to or scales them. Prune in reverse.
 */
export const MANAGED_KINDS: readonly ManagedKind[] = Object.freeze([
  { apiVersion: 'v1', kind: 'Namespace', plural: 'namespaces', namespaced: false },
  { apiVersion: 'v1', kind: 'ServiceAccount', plural: 'serviceaccounts', namespaced: true },
  { apiVersion: 'v1', kind: 'Secret', plural: 'secrets', namespaced: true },
  { apiVersion: 'v1', kind: 'ResourceQuota', plural: 'resourcequotas', namespaced: true },
  { apiVersion: 'v1', kind: 'LimitRange', plural: 'limitranges', namespaced: true },
  { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', plural: 'networkpolicies', namespaced: true },
  { apiVersion: 'apps/v1', kind: 'Deployment', plural: 'deployments', namespaced: true },
  { apiVersion: 'v1', kind: 'Service', plural: 'services', namespaced: true },
  { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', plural: 'ingresses', namespaced: true },
  { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', plural: 'horizontalpodautoscalers', namespaced: true },
  { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', plural: 'poddisruptionbudgets', namespaced: true },
].map((k) => Object.freeze(k)));

export interface ObjectRef {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
}

/** `apiVersion/kind/namespace/name` (namespace empty for cluster-scoped objects); same format as drift.ts. */
export function objectKey(obj: ObjectRef): string {
  return `${obj.apiVersion}/${obj.kind}/${obj.metadata.namespace ?? ''}/${obj.metadata.name}`;
}

export function managedKind(apiVersion: string, kind: string): ManagedKind | undefined {
  return MANAGED_KINDS.find((k) => k.apiVersion === apiVersion && k.kind === kind);
}

/** Position of a kind in apply order; unmanaged kinds sort last. */
export function applyRank(obj: Pick<ObjectRef, 'apiVersion' | 'kind'>): number {
  const index = MANAGED_KINDS.findIndex((k) => k.apiVersion === obj.apiVersion && k.kind === obj.kind);
  return index < 0 ? MANAGED_KINDS.length : index;
}
