import { labelSelectorMatcher } from '../selectors.js';
import type { KubeObject } from '../types.js';
import { validateTemplateMeta } from './meta.js';
import { validatePodSpec } from './pod.js';
import { labelSelectorErrors } from './selector.js';
import { invalidValue, isMap, map, nonNegative, notSupported, required, type Causes } from './util.js';

/** JobSpec rules at a field prefix ("spec" for Jobs, "spec.jobTemplate.spec" for CronJobs). */
function validateJobSpec(base: string, spec: Record<string, unknown>, out: Causes): void {
  for (const k of ['parallelism', 'completions', 'backoffLimit', 'ttlSecondsAfterFinished', 'backoffLimitPerIndex', 'maxFailedIndexes']) out.push(...nonNegative(`${base}.${k}`, spec[k]));
  const ads = spec['activeDeadlineSeconds'];
  if (typeof ads === 'number' && ads <= 0) out.push(invalidValue(`${base}.activeDeadlineSeconds`, ads, 'must be greater than or equal to 1'));
  const mode = spec['completionMode'];
  if (mode !== undefined && mode !== 'NonIndexed' && mode !== 'Indexed') out.push(notSupported(`${base}.completionMode`, mode, ['NonIndexed', 'Indexed']));
  if (mode === 'Indexed' && spec['completions'] === undefined) out.push(required(`${base}.completions`, 'when completion mode is Indexed'));
  if (spec['selector'] !== undefined) out.push(...labelSelectorErrors(`${base}.selector`, spec['selector']));
  const template = spec['template'];
  if (!isMap(template)) {
    out.push(required(`${base}.template`));
    return;
  }
  out.push(...validateTemplateMeta(`${base}.template.metadata`, template['metadata']));
  out.push(...validatePodSpec(`${base}.template.spec`, template['spec']));
  const rp = map(template['spec'])['restartPolicy'];
  if (rp !== 'OnFailure' && rp !== 'Never') out.push(rp === undefined || rp === 'Always' ? notSupported(`${base}.template.spec.restartPolicy`, rp ?? '', ['OnFailure', 'Never']) : invalidValue(`${base}.template.spec.restartPolicy`, rp, 'must be OnFailure or Never'));
}

export function validateJob(obj: KubeObject): Causes {
  const out: Causes = [];
  const spec = map(obj.spec);
  validateJobSpec('spec', spec, out);
  const selector = spec['selector'];
  if (!isMap(selector)) out.push(required('spec.selector'));
  else {
    const labels = map(map(map(spec['template'])['metadata'])['labels']) as Record<string, string>;
    try {
      if (!labelSelectorMatcher(selector)(labels)) out.push(invalidValue('spec.template.metadata.labels', labels, '`selector` does not match template `labels`'));
    } catch {
      // reported by the selector rules
    }
  }
  return out;
}

/** Five fields (minute hour day-of-month month day-of-week) or a macro, as robfig/cron parses them. */
const MACROS = new Set(['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly']);
const FIELD_RE = /^(\*|\?|[0-9A-Za-z]+(-[0-9A-Za-z]+)?)(\/[0-9]+)?(,(\*|\?|[0-9A-Za-z]+(-[0-9A-Za-z]+)?)(\/[0-9]+)?)*$/;

function scheduleError(s: string): string | undefined {
  const t = s.trim().replace(/^(CRON_)?TZ=\S+\s+/, '');
  if (MACROS.has(t)) return undefined;
  if (t.startsWith('@every ')) return undefined;
  const fields = t.split(/\s+/);
  if (fields.length !== 5) return `expected exactly 5 fields, found ${fields.length}: ${JSON.stringify(t)}`;
  for (const f of fields) if (!FIELD_RE.test(f)) return `failed to parse ${JSON.stringify(f)}`;
  return undefined;
}

export function validateCronJob(obj: KubeObject): Causes {
  const out: Causes = [];
  const name = obj.metadata.name ?? '';
  if (name.length > 52) out.push(invalidValue('metadata.name', name, 'must be no more than 52 characters'));
  const spec = map(obj.spec);
  const schedule = spec['schedule'];
  if (typeof schedule !== 'string' || schedule === '') out.push(required('spec.schedule'));
  else {
    const err = scheduleError(schedule);
    if (err) out.push(invalidValue('spec.schedule', schedule, err));
    if (/TZ=/.test(schedule)) out.push(invalidValue('spec.schedule', schedule, 'cannot use TZ or CRON_TZ in schedule, use timeZone field instead'));
  }
  const cp = spec['concurrencyPolicy'];
  if (cp !== undefined && !['Allow', 'Forbid', 'Replace'].includes(String(cp))) out.push(notSupported('spec.concurrencyPolicy', cp, ['Allow', 'Forbid', 'Replace']));
  for (const k of ['startingDeadlineSeconds', 'successfulJobsHistoryLimit', 'failedJobsHistoryLimit']) out.push(...nonNegative(`spec.${k}`, spec[k]));
  const tz = spec['timeZone'];
  if (typeof tz === 'string') {
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz });
    } catch {
      out.push(invalidValue('spec.timeZone', tz, 'unknown time zone ' + tz));
    }
  }
  const jt = map(spec['jobTemplate']);
  if (!isMap(spec['jobTemplate'])) out.push(required('spec.jobTemplate'));
  else {
    out.push(...validateTemplateMeta('spec.jobTemplate.metadata', jt['metadata']));
    validateJobSpec('spec.jobTemplate.spec', map(jt['spec']), out);
  }
  return out;
}

