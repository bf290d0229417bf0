// RFC 9457 problem documents: the single shape of every non-2xx answer.
import { DomainError, ERROR_CODES, type ErrorCode, type InvalidParam } from '../errors/domain-error.js';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';
export const PROBLEM_TYPE_BASE = 'https://berth.dev/problems/';

export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  code: ErrorCode;
  field?: string;
  invalid_params?: InvalidParam[];
  [extension: string]: unknown;
}

export function problemFromDomainError(error: DomainError, requestId: string): ProblemDocument {
  return {
    type: PROBLEM_TYPE_BASE + error.code,
    title: error.title,
    status: error.status,
    detail: error.detail,
    instance: requestId,
    code: error.code,
    ...(error.options.field ? { field: error.options.field } : {}),
    ...(error.options.invalidParams ? { invalid_params: error.options.invalidParams } : {}),
    ...(error.options.extensions ?? {}),
  };
}

const CODE_BY_STATUS = new Map<number, ErrorCode>(
  (Object.entries(ERROR_CODES) as Array<[ErrorCode, { status: number }]>)
    .filter(([code]) => !['already-exists', 'invalid-state', 'idempotency-key-in-use', 'idempotency-key-reused', 'quota-exceeded'].includes(code))
    .map(([code, { status }]) => [status, code]),
);

export function codeForStatus(status: number): ErrorCode {
  return CODE_BY_STATUS.get(status) ?? (status >= 500 ? 'internal-error' : 'bad-request');
}
