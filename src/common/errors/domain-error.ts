// Domain errors carry a stable code; each transport translates them once (problem+json for REST,
// extensions.code for GraphQL). Services throw these and never think about HTTP.

export const ERROR_CODES = {
  'validation-failed': { status: 422, title: 'Validation failed' },
  'bad-request': { status: 400, title: 'Bad request' },
  unauthenticated: { status: 401, title: 'Authentication required' },
  forbidden: { status: 403, title: 'Forbidden' },
  'not-found': { status: 404, title: 'Not found' },
  'method-not-allowed': { status: 405, title: 'Method not allowed' },
  conflict: { status: 409, title: 'Conflict' },
  'already-exists': { status: 409, title: 'Already exists' },
  'invalid-state': { status: 409, title: 'Invalid state' },
  'idempotency-key-in-use': { status: 409, title: 'Idempotency key in use' },
  'idempotency-key-reused': { status: 422, title: 'Idempotency key reused with a different request' },
  'precondition-failed': { status: 412, title: 'Precondition failed' },
  'payload-too-large': { status: 413, title: 'Payload too large' },
  'unsupported-media-type': { status: 415, title: 'Unsupported media type' },
  'precondition-required': { status: 428, title: 'Precondition required' },
  'quota-exceeded': { status: 422, title: 'Quota exceeded' },
  'rate-limited': { status: 429, title: 'Too many requests' },
  'internal-error': { status: 500, title: 'Internal error' },
  unavailable: { status: 503, title: 'Service unavailable' },
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface InvalidParam {
  name: string;
  reason: string;
}

export interface DomainErrorOptions {
  /** Request field the error is about (dot path, e.g. `formation.web.replicas`). */
  field?: string;
  invalidParams?: InvalidParam[];
  /** Extra members for the problem document, e.g. the quota dimension. */
  extensions?: Record<string, unknown>;
  headers?: Record<string, string>;
}

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly detail: string,
    readonly options: DomainErrorOptions = {},
  ) {
    super(detail);
    this.name = 'DomainError';
  }

  get status(): number {
    return ERROR_CODES[this.code].status;
  }

  get title(): string {
    return ERROR_CODES[this.code].title;
  }

  static notFound(kind: string, ref: string): DomainError {
    return new DomainError('not-found', `${kind} "${ref}" was not found`);
  }

  static invalid(field: string, reason: string): DomainError {
    return new DomainError('validation-failed', `${field}: ${reason}`, { field, invalidParams: [{ name: field, reason }] });
  }

  static alreadyExists(kind: string, field: string, value: string): DomainError {
    return new DomainError('already-exists', `a ${kind} with ${field} "${value}" already exists`, { field });
  }
}
