// Name rules shared by inputs and services. Berth's names become Kubernetes names, so they follow
// Kubernetes' own rules (DNS-1123 labels) plus the length budget of the objects built from them.

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export const NAME_LIMITS = { team: 40, app: 40, environment: 22, processType: 30 } as const;
/** A namespace is `<app>-<environment>` and must itself be a DNS label. */
export const NAMESPACE_MAX = 63;

export function dnsLabelProblem(value: string, max: number): string | undefined {
  if (value.length === 0) return 'must not be empty';
  if (value.length > max) return `must be at most ${max} characters`;
  if (!DNS_LABEL.test(value)) return 'must be lowercase letters, digits and "-", starting and ending with a letter or digit';
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-/.test(value)) return 'must not look like an id';
  return undefined;
}

export function namespaceName(app: string, environment: string): string {
  return `${app}-${environment}`;
}

const CONFIG_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;
const RESERVED_KEYS = new Set(['PORT']);
const RESERVED_PREFIXES = ['BERTH_', 'KUBERNETES_'];
export const CONFIG_LIMITS = { keyLength: 256, valueBytes: 32 * 1024, totalBytes: 256 * 1024, keys: 500 } as const;

export function configKeyProblem(key: string): string | undefined {
  if (key.length === 0 || key.length > CONFIG_LIMITS.keyLength) return `must be 1 to ${CONFIG_LIMITS.keyLength} characters`;
  if (!CONFIG_KEY.test(key)) return 'must be letters, digits and "_", not starting with a digit';
  if (RESERVED_KEYS.has(key) || RESERVED_PREFIXES.some((p) => key.startsWith(p))) return 'is reserved by Berth';
  return undefined;
}

const HOST_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export function hostnameProblem(hostname: string): string | undefined {
  if (hostname.length > 253) return 'must be at most 253 characters';
  if (hostname !== hostname.toLowerCase()) return 'must be lowercase';
  const labels = hostname.split('.');
  if (labels.length < 2) return 'must be a fully qualified name with at least two labels';
  for (const [i, label] of labels.entries()) {
    if (i === 0 && label === '*') continue;
    if (label.length > 63) return 'has a label longer than 63 characters';
    if (!HOST_LABEL.test(label)) return 'must be letters, digits, "-" and "." (a leading "*." is allowed)';
  }
  if (/^\d+$/.test(labels[labels.length - 1]!)) return 'must not be an IP address';
  return undefined;
}
