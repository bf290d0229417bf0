import type { ResourceDef } from './resources.js';

export interface StatusCause {
  reason: string;
  message: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure' | 'Success';
  message?: string;
  reason?: string;
  details?: StatusDetails;
  code: number;
}

/** An error the API answers with a Status body. */
export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: StatusDetails,
  ) {
    super(message);
  }

  toStatus(): Status {
    const s: Status = {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      reason: this.reason,
      code: this.code,
    };
    if (this.details) s.details = this.details;
    return s;
  }
}

function groupOf(res: ResourceDef): { group?: string } {
  return res.group ? { group: res.group } : {};
}

export function notFound(res: ResourceDef, name: string): ApiError {
  return new ApiError(404, 'NotFound', `${res.qualified} "${name}" not found`, {
    name,
    ...groupOf(res),
    kind: res.plural,
  });
}

export function alreadyExists(res: ResourceDef, name: string): ApiError {
  return new ApiError(409, 'AlreadyExists', `${res.qualified} "${name}" already exists`, {
    name,
    ...groupOf(res),
    kind: res.plural,
  });
}

export function conflict(res: ResourceDef, name: string, why?: string): ApiError {
  const reason = why ?? 'the object has been modified; please apply your changes to the latest version and try again';
  return new ApiError(409, 'Conflict', `Operation cannot be fulfilled on ${res.qualified} "${name}": ${reason}`, {
    name,
    ...groupOf(res),
    kind: res.plural,
  });
}

export function invalid(res: ResourceDef, name: string, causes: StatusCause[]): ApiError {
  const text = causes.map((c) => `${c.field ? `${c.field}: ` : ''}${c.message}`);
  const joined = text.length === 1 ? text[0] : `[${text.join(', ')}]`;
  return new ApiError(422, 'Invalid', `${res.kind}${res.group ? `.${res.group}` : ''} "${name}" is invalid: ${joined}`, {
    name,
    ...groupOf(res),
    kind: res.kind,
    causes,
  });
}

export function forbidden(res: ResourceDef, name: string, why: string, causes?: StatusCause[]): ApiError {
  const details: StatusDetails = { name, ...groupOf(res), kind: res.plural };
  if (causes) details.causes = causes;
  return new ApiError(403, 'Forbidden', `${res.qualified} "${name}" is forbidden: ${why}`, details);
}

export function badRequest(message: string): ApiError {
  return new ApiError(400, 'BadRequest', message);
}

export function methodNotAllowed(message = 'the server does not allow this method on the requested resource'): ApiError {
  return new ApiError(405, 'MethodNotAllowed', message);
}

export function gone(message: string): ApiError {
  return new ApiError(410, 'Expired', message);
}

export function unsupportedMediaType(type: string): ApiError {
  return new ApiError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json; got ${type}`);
}

export function pageNotFound(): ApiError {
  return new ApiError(404, 'NotFound', 'the server could not find the requested resource', {});
}

export function required(field: string, detail?: string): StatusCause {
  return { reason: 'FieldValueRequired', message: `Required value${detail ? `: ${detail}` : ''}`, field };
}

export function invalidValue(field: string, value: unknown, detail: string): StatusCause {
  const shown = typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value ?? null);
  return { reason: 'FieldValueInvalid', message: `Invalid value: ${shown}: ${detail}`, field };
}

export function successStatus(res: ResourceDef, name: string, uid?: string): Record<string, unknown> {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Success',
    details: { name, ...groupOf(res), kind: res.plural, ...(uid ? { uid } : {}) },
  };
}
