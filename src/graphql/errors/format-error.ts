// One error shape for GraphQL: extensions.code is the REST problem code upper-cased with
// underscores (not-found → NOT_FOUND, validation-failed → VALIDATION_FAILED), with `status`, `field`
// and `invalid_params` as in the problem document. Never a stack trace or an internal message.
import { Logger } from '@nestjs/common';
import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, type ExecutionResult, type FormattedExecutionResult, type GraphQLFormattedError } from 'graphql';
import { DomainError } from '../../common/errors/domain-error.js';
import { toDomainError } from '../../common/http/problem.filter.js';

const logger = new Logger('GraphQL');

/** REST names transport fields after HTTP headers; GraphQL has arguments instead. */
const FIELD_NAMES: Record<string, string> = { 'If-Match': 'expectedVersion', 'Idempotency-Key': 'idempotencyKey' };

/** A field path as GraphQL spells it: `process_types.0.health_check_path` → `processTypes.0.healthCheckPath`. */
export function graphqlField(name: string): string {
  return FIELD_NAMES[name] ?? name.split('.').map((part) => part.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase())).join('.');
}

export function graphqlCode(restCode: string): string {
  return restCode.toUpperCase().replace(/-/g, '_');
}

export function formatGraphqlError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const base = { message: formatted.message, ...(formatted.locations ? { locations: formatted.locations } : {}), ...(formatted.path ? { path: formatted.path } : {}) };
  // Errors raised before execution (rate limits, NUL characters) carry their DomainError too.
  const original = error instanceof GraphQLError && !error.path && error.originalError instanceof DomainError ? error.originalError : unwrapResolverError(error);
  const domain = toDomainError(original);
  if (domain) {
    const field = domain.options.field ? graphqlField(domain.options.field) : undefined;
    const invalid = domain.options.invalidParams?.map((p) => ({ name: graphqlField(p.name), reason: p.reason }));
    return {
      ...base,
      message: domain.detail.replace(/If-Match/g, 'expectedVersion').replace(/Idempotency-Key/g, 'idempotencyKey'),
      extensions: { ...domain.options.extensions, code: graphqlCode(domain.code), status: domain.status, ...(field ? { field } : {}), ...(invalid ? { invalid_params: invalid } : {}) },
    };
  }
  const limit = formatted.extensions?.limit;
  if (typeof limit === 'string') return { ...base, extensions: { code: 'LIMIT_EXCEEDED', limit, max: formatted.extensions?.max, actual: formatted.extensions?.actual } };
  if (original instanceof GraphQLError) {
    // Parse, validation and variable errors: their message is about the document the caller sent.
    return { ...base, extensions: { code: typeof formatted.extensions?.code === 'string' ? formatted.extensions.code : 'BAD_REQUEST' } };
  }
  logger.error({ err: original }, 'unhandled error in a resolver');
  return { ...base, message: 'an unexpected error occurred', extensions: { code: 'INTERNAL_ERROR', status: 500 } };
}

/** graphql-ws does not go through Apollo: format the errors of subscription results the same way. */
export function formatExecutionResult(result: ExecutionResult): FormattedExecutionResult {
  return { ...(result.data !== undefined ? { data: result.data } : {}), ...(result.errors ? { errors: result.errors.map((e) => formatGraphqlError(e.toJSON(), e)) } : {}) };
}
