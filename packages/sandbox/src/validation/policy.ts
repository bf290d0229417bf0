import type { KubeObject } from '../types.js';
import { labelSelectorErrors } from './selector.js';
import { intOrPercent, invalidValue, isMap, list, map, notSupported, required, type Causes } from './util.js';

export function validatePdb(obj: KubeObject): Causes {
  const out: Causes = [];
  const spec = map(obj.spec);
  if (spec['minAvailable'] !== undefined && spec['maxUnavailable'] !== undefined) {
    out.push(invalidValue('spec', spec, 'minAvailable and maxUnavailable cannot be both set'));
  }
  out.push(...intOrPercent('spec.minAvailable', spec['minAvailable']).causes);
  out.push(...intOrPercent('spec.maxUnavailable', spec['maxUnavailable']).causes);
  out.push(...labelSelectorErrors('spec.selector', spec['selector']));
  const policy = spec['unhealthyPodEvictionPolicy'];
  if (policy !== undefined && policy !== 'IfHealthyBudget' && policy !== 'AlwaysAllow') out.push(notSupported('spec.unhealthyPodEvictionPolicy', policy, ['AlwaysAllow', 'IfHealthyBudget']));
  return out;
}

const METRIC_TYPES = ['ContainerResource', 'External', 'Object', 'Pods', 'Resource'];
const TARGET_TYPES = ['AverageValue', 'Utilization', 'Value'];

function validateTarget(f: string, target: unknown, out: Causes): void {
  if (!isMap(target)) {
    out.push(required(f, 'must specify a metric target'));
    return;
  }
  const type = target['type'];
  if (type === undefined) out.push(required(`${f}.type`, 'must specify a metric target type'));
  else if (!TARGET_TYPES.includes(String(type))) out.push(notSupported(`${f}.type`, type, TARGET_TYPES));
  const u = target['averageUtilization'];
  if (u !== undefined && (typeof u !== 'number' || u <= 0)) out.push(invalidValue(`${f}.averageUtilization`, u, 'must be greater than 0'));
  if (type === 'Utilization' && u === undefined) out.push(required(`${f}.averageUtilization`, 'must set either a target raw value or a target utilization'));
  if (type === 'Value' && target['value'] === undefined) out.push(required(`${f}.value`, 'must set either a target value for metric or a per-pod target'));
  if (type === 'AverageValue' && target['averageValue'] === undefined) out.push(required(`${f}.averageValue`, 'must set either a target value for metric or a per-pod target'));
}

function validateBehavior(f: string, rules: unknown, out: Causes): void {
  if (!isMap(rules)) return;
  const sw = rules['stabilizationWindowSeconds'];
  if (typeof sw === 'number' && (sw < 0 || sw > 3600)) out.push(invalidValue(`${f}.stabilizationWindowSeconds`, sw, sw < 0 ? 'must be greater than or equal to zero' : 'must be less than or equal to 3600'));
  const sp = rules['selectPolicy'];
  if (sp !== undefined && !['Disabled', 'Max', 'Min'].includes(String(sp))) out.push(notSupported(`${f}.selectPolicy`, sp, ['Disabled', 'Max', 'Min']));
  list(rules['policies']).forEach((p, i) => {
    const pf = `${f}.policies[${i}]`;
    const m = map(p);
    if (m['type'] !== 'Pods' && m['type'] !== 'Percent') out.push(notSupported(`${pf}.type`, m['type'] ?? '', ['Percent', 'Pods']));
    if (typeof m['value'] !== 'number' || m['value'] <= 0) out.push(invalidValue(`${pf}.value`, m['value'] ?? 0, 'must be greater than zero'));
    const ps = m['periodSeconds'];
    if (typeof ps !== 'number' || ps <= 0) out.push(invalidValue(`${pf}.periodSeconds`, ps ?? 0, 'must be greater than zero'));
    else if (ps > 1800) out.push(invalidValue(`${pf}.periodSeconds`, ps, 'must be less than or equal to 1800'));
  });
}

export function validateHpa(obj: KubeObject): Causes {
  const out: Causes = [];
  const spec = map(obj.spec);
  const ref = map(spec['scaleTargetRef']);
  if (!ref['kind']) out.push(required('spec.scaleTargetRef.kind'));
  if (!ref['name']) out.push(required('spec.scaleTargetRef.name'));
  else if (/[/%]/.test(String(ref['name']))) out.push(invalidValue('spec.scaleTargetRef.name', ref['name'], 'may not contain \'/\''));
  const min = spec['minReplicas'];
  const max = spec['maxReplicas'];
  if (typeof min === 'number' && min < 1) out.push(invalidValue('spec.minReplicas', min, 'must be greater than or equal to 1'));
  if (typeof max !== 'number' || max < 1) out.push(invalidValue('spec.maxReplicas', max ?? 0, 'must be greater than 0'));
  else if (typeof min === 'number' && max < min) out.push(invalidValue('spec.maxReplicas', max, 'must be greater than or equal to `minReplicas`'));
  list(spec['metrics']).forEach((m, i) => {
    const f = `spec.metrics[${i}]`;
    const mm = map(m);
    const type = mm['type'];
    if (type === undefined) {
      out.push(required(`${f}.type`, 'must specify a metric source type'));
      return;
    }
    if (!METRIC_TYPES.includes(String(type))) {
      out.push(notSupported(`${f}.type`, type, METRIC_TYPES));
      return;
    }
    const key = String(type).charAt(0).toLowerCase() + String(type).slice(1);
    const src = mm[key];
    if (!isMap(src)) {
      out.push(required(`${f}.${key}`, `must populate information for the given metric source (${String(type)})`));
      return;
    }
    if ((type === 'Resource' || type === 'ContainerResource') && !src['name']) out.push(required(`${f}.${key}.name`, 'must specify a resource name'));
    if (type === 'ContainerResource' && !src['container']) out.push(required(`${f}.${key}.container`, 'must specify a container'));
    if ((type === 'Pods' || type === 'Object' || type === 'External') && !map(src['metric'])['name']) out.push(required(`${f}.${key}.metric.name`, 'must specify a metric name'));
    validateTarget(`${f}.${key}.target`, src['target'], out);
  });
  const behavior = map(spec['behavior']);
  validateBehavior('spec.behavior.scaleUp', behavior['scaleUp'], out);
  validateBehavior('spec.behavior.scaleDown', behavior['scaleDown'], out);
  return out;
}
