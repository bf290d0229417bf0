import { labelSelectorMatcher } from '../selectors.js';
import type { KubeObject } from '../types.js';
import { validateTemplateMeta } from './meta.js';
import { requireRestartAlways, validatePodSpec } from './pod.js';
import { labelSelectorErrors } from './selector.js';
import { forbidden, intOrPercent, invalidValue, isMap, map, nonNegative, notSupported, required, type Causes } from './util.js';

/** Selector, template and replicas: shared by Deployments and ReplicaSets (and Jobs' templates). */
export function validateSelectorAndTemplate(spec: Record<string, unknown>, kindWord: string, out: Causes): void {
  const selector = spec['selector'];
  if (!isMap(selector)) out.push(required('spec.selector'));
  else {
    out.push(...labelSelectorErrors('spec.selector', selector));
    if (!isMap(selector['matchLabels']) && !(Array.isArray(selector['matchExpressions']) && selector['matchExpressions'].length)) {
      out.push(invalidValue('spec.selector', selector, `empty selector is invalid for ${kindWord}`));
    }
  }
  const template = spec['template'];
  if (!isMap(template)) {
    out.push(required('spec.template'));
    return;
  }
  const labels = map(map(template['metadata'])['labels']) as Record<string, string>;
  if (isMap(selector)) {
    try {
      if (!labelSelectorMatcher(selector)(labels)) out.push(invalidValue('spec.template.metadata.labels', labels, '`selector` does not match template `labels`'));
    } catch {
      // the selector's own errors are reported above
    }
  }
  out.push(...validateTemplateMeta('spec.template.metadata', template['metadata']));
  out.push(...validatePodSpec('spec.template.spec', template['spec']));
}

function validateReplicas(spec: Record<string, unknown>, out: Causes): void {
  out.push(...nonNegative('spec.replicas', spec['replicas']));
  out.push(...nonNegative('spec.minReadySeconds', spec['minReadySeconds']));
}

export function validateDeployment(obj: KubeObject): Causes {
  const out: Causes = [];
  const spec = map(obj.spec);
  validateReplicas(spec, out);
  validateSelectorAndTemplate(spec, 'deployment', out);
  out.push(...requireRestartAlways('spec.template.spec', map(spec['template'])['spec']));
  const strategy = map(spec['strategy']);
  const type = strategy['type'];
  if (type === undefined) out.push(required('spec.strategy.type'));
  else if (type !== 'RollingUpdate' && type !== 'Recreate') out.push(notSupported('spec.strategy.type', type, ['Recreate', 'RollingUpdate']));
  if (type === 'Recreate' && strategy['rollingUpdate'] !== undefined) {
    out.push(forbidden('spec.strategy.rollingUpdate', "may not be specified when strategy `type` is 'Recreate'"));
  }
  if (type === 'RollingUpdate' && isMap(strategy['rollingUpdate'])) {
    const ru = strategy['rollingUpdate'];
    const surge = intOrPercent('spec.strategy.rollingUpdate.maxSurge', ru['maxSurge'], false);
    const unavailable = intOrPercent('spec.strategy.rollingUpdate.maxUnavailable', ru['maxUnavailable']);
    out.push(...surge.causes, ...unavailable.causes);
    if (surge.value === 0 && unavailable.value === 0) {
      out.push(invalidValue('spec.strategy.rollingUpdate.maxUnavailable', ru['maxUnavailable'], 'may not be 0 when `maxSurge` is 0'));
    }
  }
  out.push(...nonNegative('spec.revisionHistoryLimit', spec['revisionHistoryLimit']));
  const pds = spec['progressDeadlineSeconds'];
  if (typeof pds === 'number') {
    out.push(...nonNegative('spec.progressDeadlineSeconds', pds));
    const mrs = typeof spec['minReadySeconds'] === 'number' ? spec['minReadySeconds'] : 0;
    if (pds <= mrs) out.push(invalidValue('spec.progressDeadlineSeconds', pds, 'must be greater than minReadySeconds'));
  }
  return out;
}

export function validateReplicaSet(obj: KubeObject): Causes {
  const out: Causes = [];
  const spec = map(obj.spec);
  validateReplicas(spec, out);
  validateSelectorAndTemplate(spec, 'deployment', out);
  out.push(...requireRestartAlways('spec.template.spec', map(spec['template'])['spec']));
  return out;
}

export function validateStatefulSet(obj: KubeObject): Causes {
  const out: Causes = [];
  const spec = map(obj.spec);
  validateReplicas(spec, out);
  validateSelectorAndTemplate(spec, 'statefulset', out);
  out.push(...requireRestartAlways('spec.template.spec', map(spec['template'])['spec']));
  const pmp = spec['podManagementPolicy'];
  if (pmp !== undefined && pmp !== 'OrderedReady' && pmp !== 'Parallel') out.push(notSupported('spec.podManagementPolicy', pmp, ['OrderedReady', 'Parallel']));
  const type = map(spec['updateStrategy'])['type'];
  if (type !== undefined && type !== 'RollingUpdate' && type !== 'OnDelete') out.push(notSupported('spec.updateStrategy.type', type, ['OnDelete', 'RollingUpdate']));
  out.push(...nonNegative('spec.revisionHistoryLimit', spec['revisionHistoryLimit']));
  return out;
}

export function validateDaemonSet(obj: KubeObject): Causes {
  const out: Causes = [];
  const spec = map(obj.spec);
  out.push(...nonNegative('spec.minReadySeconds', spec['minReadySeconds']));
  validateSelectorAndTemplate(spec, 'daemonset', out);
  out.push(...requireRestartAlways('spec.template.spec', map(spec['template'])['spec']));
  const strategy = map(spec['updateStrategy']);
  const type = strategy['type'];
  if (type !== undefined && type !== 'RollingUpdate' && type !== 'OnDelete') out.push(notSupported('spec.updateStrategy.type', type, ['OnDelete', 'RollingUpdate']));
  if (type === 'RollingUpdate' && isMap(strategy['rollingUpdate'])) {
    const ru = strategy['rollingUpdate'];
    const surge = intOrPercent('spec.updateStrategy.rollingUpdate.maxSurge', ru['maxSurge']);
    const unavailable = intOrPercent('spec.updateStrategy.rollingUpdate.maxUnavailable', ru['maxUnavailable']);
    out.push(...surge.causes, ...unavailable.causes);
    if (surge.value === 0 && unavailable.value === 0) out.push(invalidValue('spec.updateStrategy.rollingUpdate.maxUnavailable', ru['maxUnavailable'], 'may not be 0 when `maxSurge` is 0'));
  }
  return out;
}
