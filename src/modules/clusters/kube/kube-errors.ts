// Kubernetes errors translated once, at the repository edge (as Korifi's FromK8sError does): the
// rest of Berth sees a small set of kinds with a retry hint, never client-node's exception types.

export type KubeErrorKind = 'unreachable' | 'throttled' | 'conflict' | 'not-found' | 'forbidden' | 'invalid' | 'server-error' | 'gone';

export class KubeError extends Error {
  constructor(
    readonly kind: KubeErrorKind,
    message: string,
    readonly cluster: string,
    readonly status: number | undefined,
    /** From Retry-After, when the server said when to come back. */
    readonly retryAfterMs: number | undefined,
  ) {
    super(message);
    this.name = 'KubeError';
  }

  get retryable(): boolean {
    return this.kind === 'unreachable' || this.kind === 'throttled' || this.kind === 'server-error' || this.kind === 'conflict';
  }
}

interface ApiExceptionLike {
  code?: number;
  body?: unknown;
  headers?: Record<string, string>;
  message?: string;
  cause?: { code?: string };
}

function statusMessage(body: unknown): string | undefined {
  if (typeof body === 'string') {
    try {
      return statusMessage(JSON.parse(body));
    } catch {
      return body.slice(0, 300);
    }
  }
  if (body && typeof body === 'object' && 'message' in body) return String((body as { message: unknown }).message);
  return undefined;
}

export function fromK8sError(error: unknown, cluster: string): KubeError {
  if (error instanceof KubeError) return error;
  const e = (error ?? {}) as ApiExceptionLike;
  const status = typeof e.code === 'number' ? e.code : undefined;
  const message = statusMessage(e.body) ?? e.message ?? String(error);
  if (status === undefined) {
    return new KubeError('unreachable', `cluster ${cluster} is unreachable: ${message}`, cluster, undefined, undefined);
  }
  const retryAfter = Number(e.headers?.['retry-after'] ?? e.headers?.['Retry-After']);
  const retryAfterMs = Number.isFinite(retryAfter) && retryAfter >= 0 ? retryAfter * 1000 : undefined;
  const kind: KubeErrorKind =
    status === 429 ? 'throttled'
    : status === 409 ? 'conflict'
    : status === 404 ? 'not-found'
    : status === 410 ? 'gone'
    : status === 401 || status === 403 ? 'forbidden'
    : status === 400 || status === 422 ? 'invalid'
    : status >= 500 ? 'server-error'
    : 'invalid';
  return new KubeError(kind, `cluster ${cluster} answered ${status}: ${message}`, cluster, status, retryAfterMs);
}
