import type { ResourceDef } from '../resources.js';
import type { KubeObject } from '../types.js';
import { labelSelectorErrors } from './selector.js';
import { dns1035Errors, each, invalidValue, isMap, labelErrors, labelValueErrors, qualifiedNameErrors, required, subdomainErrors, tooLong, type Causes } from './util.js';

export function validateLabels(field: string, labels: unknown): Causes {
  const out: Causes = [];
  if (!isMap(labels)) return out;
  for (const k in labels) {
    const keyErrors = qualifiedNameErrors(k);
    if (keyErrors.length) out.push(...each(field, k, keyErrors));
    const v = labels[k];
    const value = typeof v === 'string' ? v : String(v);
    const valueErrors = labelValueErrors(value);
    if (valueErrors.length) out.push(...each(field, value, valueErrors));
  }
  return out;
}

const ANNOTATIONS_MAX = 256 * 1024;

export function validateAnnotations(field: string, annotations: unknown): Causes {
  const out: Causes = [];
  if (!isMap(annotations)) return out;
  let size = 0;
  for (const k in annotations) {
    const lower = k.toLowerCase();
    const keyErrors = qualifiedNameErrors(lower);
    if (keyErrors.length) out.push(...each(field, lower, keyErrors));
    size += k.length + String(annotations[k]).length;
  }
  if (size > ANNOTATIONS_MAX) out.push(tooLong(field, ANNOTATIONS_MAX));
  return out;
}

/** Which name rule a kind's metadata.name follows (ValidateObjectMeta's nameFn). */
function nameErrors(res: ResourceDef, name: string): string[] {
  if (res.plural === 'services') return dns1035Errors(name);
  if (res.nameIsLabel) return labelErrors(name);
  if (res.plural === 'events') return name.includes('/') || name.includes('%') || name === '.' || name === '..' ? ['may not contain "/"'] : [];
  return subdomainErrors(name);
}

export function validateObjectMeta(res: ResourceDef, obj: KubeObject): Causes {
  const out: Causes = [];
  const meta = obj.metadata;
  const name = meta.name ?? '';
  if (!name) out.push(required('metadata.name', 'name or generateName is required'));
  else out.push(...each('metadata.name', name, nameErrors(res, name)));
  if (res.namespaced && !meta.namespace) out.push(required('metadata.namespace'));
  out.push(...validateLabels('metadata.labels', meta.labels));
  out.push(...validateAnnotations('metadata.annotations', meta.annotations));
  (meta.finalizers ?? []).forEach((f, i) => {
    const errs = qualifiedNameErrors(f);
    if (errs.length) out.push(...each(`metadata.finalizers[${i}]`, f, errs));
    else if (!f.includes('/') && !['kubernetes', 'orphan', 'foregroundDeletion'].includes(f)) {
      out.push(invalidValue(`metadata.finalizers[${i}]`, f, 'name is neither a standard finalizer name nor is it fully qualified'));
    }
  });
  (meta.ownerReferences ?? []).forEach((r, i) => {
    const f = `metadata.ownerReferences[${i}]`;
    if (!r.apiVersion) out.push(invalidValue(`${f}.apiVersion`, r.apiVersion ?? '', 'version must not be empty'));
    if (!r.kind) out.push(invalidValue(`${f}.kind`, r.kind ?? '', 'kind must not be empty'));
    if (!r.name) out.push(invalidValue(`${f}.name`, r.name ?? '', 'name must not be empty'));
    if (!r.uid) out.push(invalidValue(`${f}.uid`, r.uid ?? '', 'uid must not be empty'));
  });
  return out;
}

/** Template metadata (pod templates): labels and annotations only. */
export function validateTemplateMeta(field: string, meta: unknown): Causes {
  const m = isMap(meta) ? meta : {};
  return [...validateLabels(`${field}.labels`, m['labels']), ...validateAnnotations(`${field}.annotations`, m['annotations'])];
}

export { labelSelectorErrors };
