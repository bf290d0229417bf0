// Labels and metadata shared by every rendered object. Every object carries the same identifying
// labels: pruning and the status watchers select by them, so none may be missing.
import { LABELS, MANAGED_BY, type RenderInput } from './render.types.js';

export interface ObjectMeta {
  name: string;
  namespace?: string;
  labels: Record<string, string>;
  annotations?: Record<string, string>;
}

export function baseLabels(input: RenderInput): Record<string, string> {
  return {
    [LABELS.managedBy]: MANAGED_BY,
    [LABELS.name]: input.app.name,
    [LABELS.instance]: input.environment.namespace,
    [LABELS.team]: input.team.name,
    [LABELS.app]: input.app.name,
    [LABELS.environment]: input.environment.name,
    [LABELS.environmentId]: input.environment.id,
  };
}

/**
 * The labels a Deployment, Service or PDB selects a process type's pods by. Stable labels only:
 * a Deployment's selector is immutable, so anything that changes per release (the release
 * number) would make the next apply fail.
 */
export function selectorLabels(input: RenderInput, processType: string): Record<string, string> {
  return { [LABELS.app]: input.app.name, [LABELS.environment]: input.environment.name, [LABELS.processType]: processType };
}

/** Metadata of a namespaced object in the environment's namespace. */
export function namespacedMeta(input: RenderInput, name: string, extraLabels: Record<string, string> = {}): ObjectMeta {
  return { name, namespace: input.environment.namespace, labels: { ...baseLabels(input), ...extraLabels } };
}

/** Labels of everything belonging to one process type. */
export function processLabels(processType: string): Record<string, string> {
  return { [LABELS.processType]: processType, [LABELS.component]: processType };
}
