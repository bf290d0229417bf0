// Optimistic concurrency over HTTP: answers carry `ETag: "<version>"`; updates send it back in
// If-Match and get 412 when someone else changed the object in between.
import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { DomainError } from '../errors/domain-error.js';

/** Parses If-Match into the version it names; undefined when absent or `*`. */
export function parseIfMatch(header: string | string[] | undefined): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined || value.trim() === '*') return undefined;
  const match = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(value);
  if (!match) throw DomainError.invalid('If-Match', 'must be an ETag this API returned, e.g. "3"');
  return Number(match[1]);
}

/** Exported so the OpenAPI document can find the routes that read If-Match (common/openapi). */
export function readIfMatch(_data: unknown, context: ExecutionContext): number | undefined {
  const request = context.switchToHttp().getRequest<{ headers: Record<string, string | string[] | undefined> }>();
  return parseIfMatch(request.headers['if-match']);
}

export const IfMatch = createParamDecorator(readIfMatch);

export function etagFor(version: number): string {
  return `"${version}"`;
}
