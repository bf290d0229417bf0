import type { KubeObject } from '../types.js';
import { configKeyErrors, each, forbidden, invalidValue, isMap, list, map, notSupported, qualifiedNameErrors, quantityOf, required, subdomainErrors, tooLong, type Causes } from './util.js';

const DATA_MAX = 1024 * 1024;

function validateKeys(field: string, data: unknown, out: Causes): number {
  let size = 0;
  for (const [k, v] of Object.entries(map(data))) {
    out.push(...each(`${field}[${k}]`, k, configKeyErrors(k)));
    size += String(v).length;
  }
  return size;
}

export function validateConfigMap(obj: KubeObject): Causes {
  const out: Causes = [];
  let size = validateKeys('data', obj['data'], out);
  size += validateKeys('binaryData', obj['binaryData'], out);
  const data = map(obj['data']);
  for (const k of Object.keys(map(obj['binaryData']))) {
    if (k in data) out.push(invalidValue(`data[${k}]`, k, 'duplicate of key present in binaryData'));
  }
  if (size > DATA_MAX) out.push(tooLong('', DATA_MAX));
  return out;
}

const SECRET_REQUIRED_KEYS: Record<string, string[]> = {
  'kubernetes.io/dockerconfigjson': ['.dockerconfigjson'],
  'kubernetes.io/dockercfg': ['.dockercfg'],
  'kubernetes.io/ssh-auth': ['ssh-privatekey'],
  'kubernetes.io/tls': ['tls.crt', 'tls.key'],
};

export function validateSecret(obj: KubeObject): Causes {
  const out: Causes = [];
  const size = validateKeys('data', obj['data'], out);
  const data = map(obj['data']);
  const type = String(obj['type'] ?? 'Opaque');
  for (const key of SECRET_REQUIRED_KEYS[type] ?? []) {
    if (data[key] === undefined) out.push(required(`data[${key}]`));
  }
  if ((type === 'kubernetes.io/dockerconfigjson' || type === 'kubernetes.io/dockercfg') && typeof data[type.endsWith('json') ? '.dockerconfigjson' : '.dockercfg'] === 'string') {
    const key = type.endsWith('json') ? '.dockerconfigjson' : '.dockercfg';
    try {
      JSON.parse(Buffer.from(String(data[key]), 'base64').toString('utf8'));
    } catch (e) {
      out.push(invalidValue(`data[${key}]`, '<secret contents redacted>', (e as Error).message));
    }
  }
  if (type === 'kubernetes.io/basic-auth' && data['username'] === undefined && data['password'] === undefined) {
    out.push(required('data[username]'));
  }
  if (type === 'kubernetes.io/service-account-token') {
    const name = map(obj.metadata.annotations)['kubernetes.io/service-account.name'];
    if (!name) out.push(required('metadata.annotations[kubernetes.io/service-account.name]'));
  }
  if (type.length === 0 || qualifiedNameErrors(type).length > 0) out.push(...each('type', type, qualifiedNameErrors(type)));
  if (size > DATA_MAX) out.push(tooLong('data', DATA_MAX));
  return out;
}

const QUOTA_RESOURCES = new Set([
  'pods', 'services', 'replicationcontrollers', 'resourcequotas', 'secrets', 'configmaps', 'persistentvolumeclaims',
  'services.nodeports', 'services.loadbalancers', 'cpu', 'memory', 'ephemeral-storage', 'storage',
  'requests.cpu', 'requests.memory', 'requests.storage', 'requests.ephemeral-storage', 'limits.cpu', 'limits.memory', 'limits.ephemeral-storage',
]);
const QUOTA_SCOPES = ['BestEffort', 'CrossNamespacePodAffinity', 'NotBestEffort', 'NotTerminating', 'PriorityClass', 'Terminating'];

function quotaName(name: string): boolean {
  if (name.includes('/')) return true;
  return QUOTA_RESOURCES.has(name) || name.startsWith('requests.hugepages-') || name.startsWith('hugepages-');
}

export function validateResourceQuota(obj: KubeObject): Causes {
  const out: Causes = [];
  const spec = map(obj.spec);
  for (const [name, q] of Object.entries(map(spec['hard']))) {
    const f = `spec.hard[${name}]`;
    out.push(...each(f, name, qualifiedNameErrors(name)));
    if (!quotaName(name)) out.push(invalidValue(f, name, 'must be a standard resource for quota'));
    const v = quantityOf(q);
    if (v !== undefined && v < 0) out.push(invalidValue(f, q, 'must be greater than or equal to 0'));
  }
  const scopes = list(spec['scopes']);
  if (scopes.some((s) => !QUOTA_SCOPES.includes(String(s)))) out.push(invalidValue('spec.scopes', scopes, 'unsupported scope'));
  for (const [a, b] of [['BestEffort', 'NotBestEffort'], ['Terminating', 'NotTerminating']]) {
    if (scopes.includes(a) && scopes.includes(b)) out.push(invalidValue('spec.scopes', scopes, 'conflicting scopes'));
  }
  return out;
}

const LIMIT_TYPES = ['Container', 'PersistentVolumeClaim', 'Pod'];

export function validateLimitRange(obj: KubeObject): Causes {
  const out: Causes = [];
  list(map(obj.spec)['limits']).forEach((l, i) => {
    const f = `spec.limits[${i}]`;
    const m = map(l);
    const type = m['type'];
    if (type === undefined) out.push(required(`${f}.type`));
    else if (!LIMIT_TYPES.includes(String(type))) out.push(notSupported(`${f}.type`, type, LIMIT_TYPES));
    const parts = ['max', 'min', 'default', 'defaultRequest', 'maxLimitRequestRatio'] as const;
    const values: Record<string, Record<string, number | undefined>> = {};
    for (const p of parts) {
      values[p] = {};
      for (const [name, q] of Object.entries(map(m[p]))) {
        out.push(...each(`${f}.${p}[${name}]`, name, qualifiedNameErrors(name)));
        values[p]![name] = quantityOf(q);
      }
    }
    if (type === 'Pod') {
      if (m['default'] !== undefined) out.push(forbidden(`${f}.default`, 'may not be specified when `type` is \'Pod\''));
      if (m['defaultRequest'] !== undefined) out.push(forbidden(`${f}.defaultRequest`, 'may not be specified when `type` is \'Pod\''));
    }
    const raw = (p: string, n: string): unknown => map(m[p])[n];
    const names = new Set(parts.flatMap((p) => Object.keys(values[p]!)));
    for (const n of names) {
      const max = values['max']![n];
      const min = values['min']![n];
      const def = values['default']![n];
      const defReq = values['defaultRequest']![n];
      if (min !== undefined && max !== undefined && min > max) out.push(invalidValue(`${f}.min[${n}]`, raw('min', n), `min value ${String(raw('min', n))} is greater than max value ${String(raw('max', n))}`));
      if (defReq !== undefined && max !== undefined && defReq > max) out.push(invalidValue(`${f}.defaultRequest[${n}]`, raw('defaultRequest', n), `default request value ${String(raw('defaultRequest', n))} is greater than max value ${String(raw('max', n))}`));
      if (defReq !== undefined && min !== undefined && min > defReq) out.push(invalidValue(`${f}.defaultRequest[${n}]`, raw('defaultRequest', n), `min value ${String(raw('min', n))} is greater than default request value ${String(raw('defaultRequest', n))}`));
      if (def !== undefined && max !== undefined && def > max) out.push(invalidValue(`${f}.default[${n}]`, raw('default', n), `default value ${String(raw('default', n))} is greater than max value ${String(raw('max', n))}`));
      if (def !== undefined && min !== undefined && min > def) out.push(invalidValue(`${f}.default[${n}]`, raw('default', n), `min value ${String(raw('min', n))} is greater than default value ${String(raw('default', n))}`));
      if (defReq !== undefined && def !== undefined && defReq > def) out.push(invalidValue(`${f}.defaultRequest[${n}]`, raw('defaultRequest', n), `default request value ${String(raw('defaultRequest', n))} is greater than default limit value ${String(raw('default', n))}`));
      const ratio = values['maxLimitRequestRatio']![n];
      if (ratio !== undefined && ratio < 1) out.push(invalidValue(`${f}.maxLimitRequestRatio[${n}]`, raw('maxLimitRequestRatio', n), `ratio ${String(raw('maxLimitRequestRatio', n))} is less than 1`));
    }
  });
  return out;
}

export function validateNamespace(obj: KubeObject): Causes {
  const out: Causes = [];
  list(map(obj.spec)['finalizers']).forEach((f, i) => {
    const errs = qualifiedNameErrors(String(f));
    if (errs.length) out.push(...each(`spec.finalizers[${i}]`, String(f), errs));
    else if (!String(f).includes('/') && f !== 'kubernetes') out.push(invalidValue(`spec.finalizers[${i}]`, f, 'name is neither a standard finalizer name nor is it fully qualified'));
  });
  return out;
}

export function validateServiceAccount(obj: KubeObject): Causes {
  const out: Causes = [];
  for (const field of ['secrets', 'imagePullSecrets']) {
    list(obj[field]).forEach((s, i) => {
      const n = map(s)['name'];
      if (typeof n === 'string' && n !== '') out.push(...each(`${field}[${i}].name`, n, subdomainErrors(n)));
      else if (field === 'imagePullSecrets') out.push(required(`${field}[${i}].name`));
    });
  }
  if (isMap(obj) && obj['automountServiceAccountToken'] !== undefined && typeof obj['automountServiceAccountToken'] !== 'boolean') {
    out.push(invalidValue('automountServiceAccountToken', obj['automountServiceAccountToken'], 'must be a boolean'));
  }
  return out;
}

const ACCESS_MODES = ['ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod'];

export function validatePvc(obj: KubeObject): Causes {
  const out: Causes = [];
  const spec = map(obj.spec);
  const modes = list(spec['accessModes']);
  if (modes.length === 0 && spec['dataSourceRef'] === undefined) out.push(required('spec.accessModes', 'at least 1 access mode is required'));
  modes.forEach((m) => {
    if (!ACCESS_MODES.includes(String(m))) out.push(notSupported('spec.accessModes', m, ACCESS_MODES));
  });
  if (modes.includes('ReadWriteOncePod') && modes.length > 1) out.push(forbidden('spec.accessModes', 'may not use ReadWriteOncePod with other access modes'));
  const storage = map(map(spec['resources'])['requests'])['storage'];
  if (storage === undefined) out.push(required('spec.resources[storage]'));
  else {
    const v = quantityOf(storage);
    if (v !== undefined && v <= 0) out.push(invalidValue('spec.resources[storage]', storage, 'must be greater than zero'));
  }
  const vm = spec['volumeMode'];
  if (vm !== undefined && vm !== 'Block' && vm !== 'Filesystem') out.push(notSupported('spec.volumeMode', vm, ['Block', 'Filesystem']));
  const sc = spec['storageClassName'];
  if (typeof sc === 'string' && sc !== '') out.push(...each('spec.storageClassName', sc, subdomainErrors(sc)));
  return out;
}
