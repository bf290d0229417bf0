// Identity of rendered objects, and the kinds Berth manages: what apply and prune iterate over.
import { KINDS } from '../../../common/kubernetes/kinds.js';

export interface ManagedKind {
  apiVersion: string;
  kind: string;
  /** The REST resource name: /api(s)/<apiVersion>/[namespaces/<ns>/]<plural>. */
  plural: string;
  namespaced: boolean;
}

/** Every kind the renderers produce, in apply order (from the one kind table, common/kubernetes/kinds.ts). */
export const MANAGED_KINDS: readonly ManagedKind[] = Object.freeze(
  KINDS.filter((k) => k.managed).map(({ apiVersion, kind, plural, namespaced }) => Object.freeze({ apiVersion, kind, plural, namespaced })),
);

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
