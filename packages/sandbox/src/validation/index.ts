import { invalid, type StatusCause } from '../errors.js';
import type { ResourceDef } from '../resources.js';
import type { KubeObject } from '../types.js';
import { validateDaemonSet, validateDeployment, validateReplicaSet, validateStatefulSet } from './apps.js';
import { validateCronJob, validateJob } from './batch.js';
import { validateConfigMap, validateLimitRange, validateNamespace, validatePvc, validateResourceQuota, validateSecret, validateServiceAccount } from './core.js';
import { validateObjectMeta } from './meta.js';
import { validateIngress, validateNetworkPolicy } from './networking.js';
import { validateTemplateMeta } from './meta.js';
import { validatePodSpec } from './pod.js';
import { validateHpa, validatePdb } from './policy.js';
import { validateService } from './service.js';
import { validateUpdate } from './update.js';
import { each, labelErrors, subdomainErrors, type Causes } from './util.js';

type Validator = (obj: KubeObject) => Causes;

/** Semantic validation per resource, as the API server's ValidateX functions (beyond the schema). */
const VALIDATORS: Record<string, Validator> = {
  deployments: validateDeployment,
  replicasets: validateReplicaSet,
  pods: (o) => validatePodSpec('spec', o.spec),
  podtemplates: (o) => [...validateTemplateMeta('template.metadata', (o['template'] as KubeObject | undefined)?.metadata), ...validatePodSpec('template.spec', (o['template'] as KubeObject | undefined)?.spec)],
  services: validateService,
  ingresses: validateIngress,
  networkpolicies: validateNetworkPolicy,
  poddisruptionbudgets: validatePdb,
  horizontalpodautoscalers: validateHpa,
  configmaps: validateConfigMap,
  secrets: validateSecret,
  resourcequotas: validateResourceQuota,
  limitranges: validateLimitRange,
  namespaces: validateNamespace,
  serviceaccounts: validateServiceAccount,
  // Served once the Jobs and CronJobs kinds are (their controllers are another module's).
  jobs: validateJob,
  statefulsets: validateStatefulSet,
  daemonsets: validateDaemonSet,
  persistentvolumeclaims: validatePvc,
  cronjobs: validateCronJob,
};

/** Register the validator of a kind another module owns (Jobs, CronJobs...). */
export function registerValidator(plural: string, fn: Validator): void {
  VALIDATORS[plural] = fn;
}

/** Validate an object about to be stored (create, or update with `old`); throws 422 Invalid naming each bad field. */
export function validateObject(res: ResourceDef, obj: KubeObject, old?: KubeObject): void {
  const causes: StatusCause[] = validateObjectMeta(res, obj);
  const fn = VALIDATORS[res.plural];
  if (fn) causes.push(...fn(obj));
  if (old) causes.push(...validateUpdate(res, obj, old));
  if (causes.length) throw invalid(res, obj.metadata.name ?? '', causes);
}

/** The metadata of a status write that changed it (identity fields are restored by the registry). */
export function validateStatusMetadata(res: ResourceDef, obj: KubeObject): void {
  const causes = validateObjectMeta(res, obj);
  if (causes.length) throw invalid(res, obj.metadata.name ?? '', causes);
}

export function dns1123Label(field: string, value: string): StatusCause[] {
  return each(field, value, labelErrors(value));
}

export function dns1123Subdomain(field: string, value: string): StatusCause[] {
  return each(field, value, subdomainErrors(value));
}

export { validateUpdate };
