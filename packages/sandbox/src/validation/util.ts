import type { StatusCause } from '../errors.js';
import { invalidValue, required } from '../errors.js';
import { parseQuantity } from '../quantity.js';

export { invalidValue, required };
export type Causes = StatusCause[];

export const forbidden = (field: string, detail: string): StatusCause => ({ reason: 'FieldValueForbidden', message: `Forbidden: ${detail}`, field });
export const duplicate = (field: string, value: unknown): StatusCause => ({ reason: 'FieldValueDuplicate', message: `Duplicate value: ${JSON.stringify(value)}`, field });
export const notFound = (field: string, value: unknown): StatusCause => ({ reason: 'FieldValueNotFound', message: `Not found: ${JSON.stringify(value)}`, field });
export const tooLong = (field: string, max: number): StatusCause => ({ reason: 'FieldValueTooLong', message: `Too long: must have at most ${max} bytes`, field });
export const tooMany = (field: string, n: number, max: number): StatusCause => ({ reason: 'FieldValueTooMany', message: `Too many: ${n}: must have at most ${max} items`, field });
export function notSupported(field: string, value: unknown, supported: readonly string[]): StatusCause {
  return { reason: 'FieldValueNotSupported', message: `Unsupported value: ${JSON.stringify(value)}: supported values: ${supported.map((s) => JSON.stringify(s)).join(', ')}`, field };
}

export const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
export const map = (v: unknown): Record<string, unknown> => (isMap(v) ? v : {});
export const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
export const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
export const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);

const LABEL_RE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const SUBDOMAIN_RE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const WILDCARD_RE = /^\*\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_RE = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_VALUE_RE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const QUALIFIED_NAME_RE = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const ENV_RE = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;
const CONFIG_KEY_RE = /^[-._a-zA-Z0-9]+$/;
const PORT_NAME_CHARS = /^[-a-z0-9]+$/;

export const MSG = {
  label: "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
  subdomain:
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
  wildcard:
    "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character (e.g. '*.example.com', regex used for validation is '\\*\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
  dns1035:
    "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
  labelValue:
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
  qualifiedName:
    "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
  env: "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')",
  configKey: "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
};

/** apimachinery's validation helpers return messages; these turn them into causes. */
export function labelErrors(value: string): string[] {
  const out: string[] = [];
  if (value.length > 63) out.push('must be no more than 63 characters');
  if (!LABEL_RE.test(value)) out.push(MSG.label);
  return out;
}
export function subdomainErrors(value: string): string[] {
  const out: string[] = [];
  if (value.length > 253) out.push('must be no more than 253 characters');
  if (!SUBDOMAIN_RE.test(value)) out.push(MSG.subdomain);
  return out;
}
export function wildcardErrors(value: string): string[] {
  const out: string[] = [];
  if (value.length > 253) out.push('must be no more than 253 characters');
  if (!WILDCARD_RE.test(value)) out.push(MSG.wildcard);
  return out;
}
export function dns1035Errors(value: string): string[] {
  const out: string[] = [];
  if (value.length > 63) out.push('must be no more than 63 characters');
  if (!DNS1035_RE.test(value)) out.push(MSG.dns1035);
  return out;
}
export function labelValueErrors(value: string): string[] {
  const out: string[] = [];
  if (value.length > 63) out.push('must be no more than 63 characters');
  if (!LABEL_VALUE_RE.test(value)) out.push(MSG.labelValue);
  return out;
}
/**
 * Qualified names found valid, kept (bounded): every write validates its labels' and annotations'
 * keys, and the same few dozen keys recur on every object.
 */
const validQualifiedNames = new Set<string>();

export function qualifiedNameErrors(value: string): string[] {
  if (validQualifiedNames.has(value)) return [];
  const out = checkQualifiedName(value);
  if (out.length === 0) {
    if (validQualifiedNames.size >= 4096) validQualifiedNames.clear();
    validQualifiedNames.add(value);
  }
  return out;
}

function checkQualifiedName(value: string): string[] {
  const parts = value.split('/');
  let name = value;
  const out: string[] = [];
  if (parts.length === 2) {
    const [prefix, n] = parts as [string, string];
    name = n;
    if (prefix.length === 0) out.push('prefix part must be non-empty');
    else for (const m of subdomainErrors(prefix)) out.push(`prefix part ${m}`);
  } else if (parts.length > 2) {
    return [`a qualified name ${MSG.qualifiedName.slice('name part '.length)} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`];
  }
  if (name.length === 0) out.push('name part must be non-empty');
  else if (name.length > 63) out.push('name part must be no more than 63 characters');
  if (name.length > 0 && !QUALIFIED_NAME_RE.test(name)) out.push(MSG.qualifiedName);
  return out;
}
export function envNameErrors(value: string): string[] {
  return ENV_RE.test(value) ? [] : [MSG.env];
}
export function configKeyErrors(value: string): string[] {
  const out: string[] = [];
  if (value.length > 253) out.push('must be no more than 253 characters');
  if (!CONFIG_KEY_RE.test(value)) out.push(MSG.configKey);
  if (value === '.' || value === '..' || value.startsWith('..')) out.push(value === '.' ? "must not be '.'" : value === '..' ? "must not be '..'" : "must not start with '..'");
  return out;
}
/** IANA_SVC_NAME: what container and service port names must be. */
export function portNameErrors(value: string): string[] {
  const out: string[] = [];
  if (value.length > 15) out.push('must be no more than 15 characters');
  if (!PORT_NAME_CHARS.test(value)) out.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  if (value.includes('--')) out.push('must not contain consecutive hyphens');
  if (/[a-z]/.test(value) === false) out.push('must contain at least one letter (a-z)');
  if (value.startsWith('-') || value.endsWith('-')) out.push('must not begin or end with a hyphen');
  return out;
}
export function isIp(value: string): boolean {
  return /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/.test(value) || (value.includes(':') && /^[0-9a-fA-F:.]+$/.test(value));
}
export function isCidr(value: string): boolean {
  const [ip, bits, ...rest] = value.split('/');
  if (rest.length || bits === undefined || !/^\d+$/.test(bits) || !ip || !isIp(ip)) return false;
  return Number(bits) <= (ip.includes(':') ? 128 : 32);
}

export function each(field: string, value: string, errs: string[]): Causes {
  return errs.map((m) => invalidValue(field, value, m));
}

export function portNumber(field: string, value: unknown): Causes {
  if (typeof value !== 'number' || value < 1 || value > 65535) return [invalidValue(field, value ?? 0, 'must be between 1 and 65535, inclusive')];
  return [];
}
export function nonNegative(field: string, value: unknown): Causes {
  return typeof value === 'number' && value < 0 ? [invalidValue(field, value, 'must be greater than or equal to 0')] : [];
}

/** A port given by number or IANA name (probes, targetPort, NetworkPolicy ports). */
export function portNumOrName(field: string, value: unknown): Causes {
  if (typeof value === 'number') return portNumber(field, value);
  if (typeof value === 'string') {
    if (/^\d+$/.test(value)) return portNumber(field, Number(value));
    return each(field, value, portNameErrors(value));
  }
  return [required(field)];
}

/** An IntOrString that is an integer or a percentage (maxSurge, minAvailable). */
export function intOrPercent(field: string, value: unknown, maxPercent100 = true): { causes: Causes; value: number | undefined; percent: boolean } {
  if (value === undefined) return { causes: [], value: undefined, percent: false };
  if (typeof value === 'number') return { causes: nonNegative(field, value), value, percent: false };
  const s = String(value);
  const m = /^([0-9]+)%$/.exec(s);
  if (!m) return { causes: [invalidValue(field, s, "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')")], value: undefined, percent: true };
  const n = Number(m[1]);
  if (maxPercent100 && n > 100) return { causes: [invalidValue(field, s, 'must not be greater than 100%')], value: n, percent: true };
  return { causes: [], value: n, percent: true };
}

export function quantityOf(v: unknown): number | undefined {
  try {
    return v === undefined ? undefined : parseQuantity(v);
  } catch {
    return undefined;
  }
}
