// Pure renderers: a RenderInput in, the Kubernetes objects Berth applies (server-side apply) out,
// in apply order. No I/O, no clock, no randomness: the same input always renders the same objects,
// with the same key order, so they can be hashed, diffed and golden-file tested. The input is
// never mutated.
import { renderAutoscaler } from './autoscaler.js';
import { renderDeployment } from './deployment.js';
import { needsDisruptionBudget, renderDisruptionBudget } from './disruption-budget.js';
import { renderIngress } from './ingress.js';
import { releaseSecretName, WEB } from './names.js';
import { renderNamespace, renderServiceAccount } from './namespace.js';
import { renderNetworkPolicy } from './network-policy.js';
import { applyRank } from './object-key.js';
import { renderLimitRange, renderResourceQuota } from './quota.js';
import { renderPullSecret, renderReleaseSecret } from './secrets.js';
import { renderWebService } from './service.js';
import type { KubernetesObject, RenderInput, RenderProcessType } from './render.types.js';

export { MANAGED_KINDS, objectKey } from './object-key.js';

/**
 * Release Secrets pruning must keep: the current release's, and the previous one's, which pods of
 * the old ReplicaSet still need to start (or restart) while a rollout is under way. Only the
 * current one is rendered: the previous release's config is not in the input.
 */
export function retainedSecretNames(input: RenderInput): string[] {
  return [input.release, input.previousRelease].flatMap((r) => (r ? [releaseSecretName(r.number)] : []));
}

export function renderEnvironment(input: RenderInput): KubernetesObject[] {
  // Sorted copies: the database's row order must not change the output (nor the input be sorted in place).
  const processTypes = [...input.processTypes].sort((a, b) => compare(a.type, b.type));
  const domains = [...new Set(input.domains)].sort(compare);
  const objects: KubernetesObject[] = [renderNamespace(input), renderServiceAccount(input)];
  if (input.imagePullSecret) objects.push(renderPullSecret(input, input.imagePullSecret.dockerConfigJson));
  const release = input.release;
  if (release) objects.push(renderReleaseSecret(input, release));
  objects.push(renderResourceQuota(input), renderLimitRange(input), renderNetworkPolicy(input));
  // Without a release there is no image to run: no workloads, nothing to route to or scale.
  if (release) {
    for (const p of processTypes) objects.push(renderDeployment(input, release, p));
    const web = webProcess(processTypes);
    if (web) {
      objects.push(renderWebService(input, web.port));
      for (const host of domains) objects.push(renderIngress(input, host));
    }
    for (const p of processTypes) if (p.autoscaling) objects.push(renderAutoscaler(input, p, p.autoscaling));
    for (const p of processTypes) if (needsDisruptionBudget(input, p)) objects.push(renderDisruptionBudget(input, p));
  }
  // Built in apply order already; the stable sort makes the order a guarantee rather than a habit.
  return objects.map((o, i) => ({ o, i })).sort((a, b) => applyRank(a.o) - applyRank(b.o) || a.i - b.i).map(({ o }) => o);
}

/** Only a `web` process with a port gets a Service (and so Ingresses): others do not listen. */
function webProcess(processTypes: RenderProcessType[]): (RenderProcessType & { port: number }) | undefined {
  const web = processTypes.find((p) => p.type === WEB);
  return web && web.port !== null ? { ...web, port: web.port } : undefined;
}

/** Code-unit order, not locale order: the same everywhere, whatever the process's locale. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
