import { invalid, invalidValue, required, type StatusCause } from './errors.js';
import type { ResourceDef } from './resources.js';
import { asArray, asMap, isMap, type KubeObject } from './types.js';
import { labelSelectorMatcher } from './selectors.js';

const LABEL_RE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const SUBDOMAIN_RE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_RE = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_VALUE_RE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const QUALIFIED_NAME_RE = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

const MSG_LABEL =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const MSG_SUBDOMAIN =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const MSG_DNS1035 =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";

export function dns1123Label(field: string, value: string): StatusCause[] {
  const out: StatusCause[] = [];
  if (value.length > 63) out.push(invalidValue(field, value, 'must be no more than 63 characters'));
  if (!LABEL_RE.test(value)) out.push(invalidValue(field, value, MSG_LABEL));
  return out;
}

export function dns1123Subdomain(field: string, value: string): StatusCause[] {
  const out: StatusCause[] = [];
  if (value.length > 253) out.push(invalidValue(field, value, 'must be no more than 253 characters'));
  if (!SUBDOMAIN_RE.test(value)) out.push(invalidValue(field, value, MSG_SUBDOMAIN));
  return out;
}

function dns1035Label(field: string, value: string): StatusCause[] {
  const out: StatusCause[] = [];
  if (value.length > 63) out.push(invalidValue(field, value, 'must be no more than 63 characters'));
  if (!DNS1035_RE.test(value)) out.push(invalidValue(field, value, MSG_DNS1035));
  return out;
}

function validateLabels(field: string, labels: unknown): StatusCause[] {
  const out: StatusCause[] = [];
  if (labels === undefined || labels === null) return out;
  if (!isMap(labels)) return [invalidValue(field, labels, 'must be a map of string to string')];
  for (const [k, v] of Object.entries(labels)) {
    const name = k.includes('/') ? k.slice(k.indexOf('/') + 1) : k;
    if (!QUALIFIED_NAME_RE.test(name) || name.length > 63) {
      out.push(invalidValue(field, k, "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character"));
    }
    if (typeof v !== 'string' || v.length > 63 || !LABEL_VALUE_RE.test(v)) {
      out.push(invalidValue(`${field}`, v, "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character"));
    }
  }
  return out;
}

function validateContainers(base: string, podSpec: unknown): StatusCause[] {
  const out: StatusCause[] = [];
  const spec = asMap(podSpec);
  const containers = spec['containers'];
  if (!Array.isArray(containers) || containers.length === 0) {
    out.push(required(`${base}.containers`));
    return out;
  }
  const seen = new Set<string>();
  containers.forEach((c, i) => {
    const f = `${base}.containers[${i}]`;
    const m = asMap(c);
    const name = m['name'];
    if (typeof name !== 'string' || name === '') out.push(required(`${f}.name`));
    else {
      out.push(...dns1123Label(`${f}.name`, name));
      if (seen.has(name)) out.push({ reason: 'FieldValueDuplicate', message: `Duplicate value: ${JSON.stringify(name)}`, field: `${f}.name` });
      seen.add(name);
    }
    if (typeof m['image'] !== 'string' || m['image'] === '') out.push(required(`${f}.image`));
    asArray(m['ports']).forEach((p, j) => {
      const port = asMap(p)['containerPort'];
      if (typeof port !== 'number' || port < 1 || port > 65535) {
        out.push(invalidValue(`${f}.ports[${j}].containerPort`, port, 'must be between 1 and 65535, inclusive'));
      }
    });
  });
  return out;
}

function validateWorkload(obj: KubeObject): StatusCause[] {
  const out: StatusCause[] = [];
  const spec = asMap(obj.spec);
  const replicas = spec['replicas'];
  if (replicas !== undefined && (typeof replicas !== 'number' || replicas < 0 || !Number.isInteger(replicas))) {
    out.push(invalidValue('spec.replicas', replicas, 'must be greater than or equal to 0'));
  }
  const selector = spec['selector'];
  if (!isMap(selector)) out.push(required('spec.selector'));
  else if (!isMap(selector['matchLabels']) && !Array.isArray(selector['matchExpressions'])) {
    out.push(invalidValue('spec.selector', selector, 'empty selector is invalid for deployment'));
  }
  const template = spec['template'];
  if (!isMap(template)) {
    out.push(required('spec.template'));
    return out;
  }
  const labels = asMap(asMap(template['metadata'])['labels']) as Record<string, string>;
  if (isMap(selector)) {
    try {
      if (!labelSelectorMatcher(selector)(labels)) {
        out.push(invalidValue('spec.template.metadata.labels', labels, '`selector` does not match template `labels`'));
      }
    } catch (e) {
      out.push(invalidValue('spec.selector', selector, (e as Error).message));
    }
  }
  out.push(...validateLabels('spec.template.metadata.labels', labels));
  out.push(...validateContainers('spec.template.spec', template['spec']));
  return out;
}

function validateService(obj: KubeObject): StatusCause[] {
  const spec = asMap(obj.spec);
  const out: StatusCause[] = [];
  const ports = spec['ports'];
  const type = spec['type'] ?? 'ClusterIP';
  if (type !== 'ExternalName' && spec['clusterIP'] !== 'None' && (!Array.isArray(ports) || ports.length === 0)) {
    out.push(required('spec.ports'));
  }
  asArray(ports).forEach((p, i) => {
    const port = asMap(p)['port'];
    if (typeof port !== 'number' || port < 1 || port > 65535) {
      out.push(invalidValue(`spec.ports[${i}].port`, port, 'must be between 1 and 65535, inclusive'));
    }
  });
  if (!['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'].includes(String(type))) {
    out.push({ reason: 'FieldValueNotSupported', message: `Unsupported value: ${JSON.stringify(type)}: supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"`, field: 'spec.type' });
  }
  return out;
}

function validateHpa(obj: KubeObject): StatusCause[] {
  const spec = asMap(obj.spec);
  const out: StatusCause[] = [];
  const ref = asMap(spec['scaleTargetRef']);
  if (!ref['kind']) out.push(required('spec.scaleTargetRef.kind'));
  if (!ref['name']) out.push(required('spec.scaleTargetRef.name'));
  const max = spec['maxReplicas'];
  const min = spec['minReplicas'] ?? 1;
  if (typeof max !== 'number' || max < 1) out.push(invalidValue('spec.maxReplicas', max ?? 0, 'must be greater than or equal to 1'));
  else if (typeof min === 'number' && min > max) out.push(invalidValue('spec.maxReplicas', max, 'must be greater than or equal to `minReplicas`'));
  return out;
}

function validateData(obj: KubeObject, field: 'data' | 'binaryData' | 'stringData'): StatusCause[] {
  const out: StatusCause[] = [];
  for (const k of Object.keys(asMap(obj[field]))) {
    if (!/^[-._a-zA-Z0-9]+$/.test(k) || k.length > 253) {
      out.push(invalidValue(`${field}[${k}]`, k, "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')"));
    }
  }
  return out;
}

/** Validate an object about to be stored; throws 422 Invalid naming each bad field. */
export function validateObject(res: ResourceDef, obj: KubeObject): void {
  const causes: StatusCause[] = [];
  const name = obj.metadata.name ?? '';
  if (!name) causes.push(required('metadata.name', 'name or generateName is required'));
  else if (res.plural === 'services') causes.push(...dns1035Label('metadata.name', name));
  else if (res.nameIsLabel) causes.push(...dns1123Label('metadata.name', name));
  else causes.push(...dns1123Subdomain('metadata.name', name));
  causes.push(...validateLabels('metadata.labels', obj.metadata.labels));
  switch (res.plural) {
    case 'deployments':
    case 'replicasets':
      causes.push(...validateWorkload(obj));
      break;
    case 'pods':
      causes.push(...validateContainers('spec', obj.spec));
      break;
    case 'services':
      causes.push(...validateService(obj));
      break;
    case 'horizontalpodautoscalers':
      causes.push(...validateHpa(obj));
      break;
    case 'configmaps':
      causes.push(...validateData(obj, 'data'), ...validateData(obj, 'binaryData'));
      break;
    case 'secrets':
      causes.push(...validateData(obj, 'data'), ...validateData(obj, 'stringData'));
      break;
  }
  if (causes.length) throw invalid(res, name, causes);
}
