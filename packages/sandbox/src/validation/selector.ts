import { each, invalidValue, isMap, labelValueErrors, list, notSupported, qualifiedNameErrors, required, forbidden, type Causes } from './util.js';

const OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist'];

/** metav1 LabelSelector validation (ValidateLabelSelector). */
export function labelSelectorErrors(field: string, selector: unknown): Causes {
  const out: Causes = [];
  if (!isMap(selector)) return out;
  const ml = selector['matchLabels'];
  if (isMap(ml)) {
    for (const [k, v] of Object.entries(ml)) {
      out.push(...each(`${field}.matchLabels`, k, qualifiedNameErrors(k)));
      out.push(...each(`${field}.matchLabels`, String(v), labelValueErrors(String(v))));
    }
  }
  list(selector['matchExpressions']).forEach((e, i) => {
    const f = `${field}.matchExpressions[${i}]`;
    const m = isMap(e) ? e : {};
    const op = m['operator'];
    const values = list(m['values']);
    if (typeof op !== 'string' || !OPERATORS.includes(op)) out.push(invalidValue(`${f}.operator`, op ?? '', 'not a valid selector operator'));
    else if ((op === 'In' || op === 'NotIn') && values.length === 0) out.push(required(`${f}.values`, 'must be specified when `operator` is \'In\' or \'NotIn\''));
    else if ((op === 'Exists' || op === 'DoesNotExist') && values.length > 0) out.push(forbidden(`${f}.values`, 'may not be specified when `operator` is \'Exists\' or \'DoesNotExist\''));
    const key = typeof m['key'] === 'string' ? m['key'] : '';
    out.push(...each(`${f}.key`, key, qualifiedNameErrors(key)));
  });
  return out;
}

export { notSupported };
