// The names Berth gives the objects it renders. Fixed names (one per environment) live here so
// the renderers, the pruning code and the tests agree; derived names are built by pure functions.
import { createHash } from 'node:crypto';

export const WEB = 'web';
export const SERVICE_ACCOUNT_NAME = 'app';
export const PULL_SECRET_NAME = 'registry-credentials';
export const QUOTA_NAME = 'berth-quota';
export const LIMIT_RANGE_NAME = 'berth-defaults';
export const NETWORK_POLICY_NAME = 'deny-other-teams';
/** The port the web Service exposes inside the cluster; Ingresses route to it. */
export const SERVICE_PORT = 80;
/** Where ingress-nginx runs when the cluster does not say otherwise (its Helm chart's default). */
export const DEFAULT_INGRESS_NAMESPACE = 'ingress-nginx';

/** Kubernetes' DNS-1123 label: what every name Berth renders must be (Service names included). */
export const DNS_LABEL_MAX = 63;

export function releaseSecretName(releaseNumber: number): string {
  return `release-v${releaseNumber}`;
}

/** A short, stable digest: used where a name or label must stay unique within a length budget. */
export function shortHash(value: string, length = 8): string {
  return createHash('sha256').update(value).digest('hex').slice(0, length);
}

const INGRESS_PREFIX = 'domain-';
const HASH_LENGTH = 8;

/**
 * The Ingress name for a hostname. Readable when that is unambiguous: `www.example.com` →
 * `domain-www-example-com`, `*.example.com` → `domain-wildcard-example-com`. Replacing dots with
 * dashes is only reversible when the hostname has no dash of its own (`a-b.example.com` and
 * `a.b-example.com` would collide) and does not literally start with `wildcard.` (it would take
 * the wildcard's name), and a label holds at most 63 characters; otherwise the readable part is
 * cut short and a digest of the full hostname follows a double dash. A readable name never
 * contains `--` (no dashes in its hostname, no empty DNS labels), so the forms cannot collide.
 */
export function ingressName(hostname: string): string {
  const host = hostname.toLowerCase();
  const readable = `${INGRESS_PREFIX}${host.replace(/^\*\./, 'wildcard.').replace(/\./g, '-')}`;
  const ambiguous = host.includes('-') || host.startsWith('wildcard.');
  if (!ambiguous && readable.length <= DNS_LABEL_MAX) return readable;
  const room = DNS_LABEL_MAX - HASH_LENGTH - 2;
  const prefix = readable.slice(0, room).replace(/-+$/, '');
  return `${prefix}--${shortHash(host, HASH_LENGTH)}`;
}
