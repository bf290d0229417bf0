// One ValidationPipe for every transport: unknown fields are refused, and the problem names each
// offending field by its path in the request (e.g. `process_types.0.size`).
import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { DomainError, type InvalidParam } from '../errors/domain-error.js';

export function flattenValidationErrors(errors: ValidationError[], parent = ''): InvalidParam[] {
  const out: InvalidParam[] = [];
  for (const error of errors) {
    const path = parent ? `${parent}.${error.property}` : error.property;
    for (const [constraint, message] of Object.entries(error.constraints ?? {})) {
      out.push({ name: path, reason: constraint === 'whitelistValidation' ? 'is not a known field' : message });
    }
    if (error.children?.length) out.push(...flattenValidationErrors(error.children, path));
  }
  return out;
}

export function validationErrorToDomain(errors: ValidationError[]): DomainError {
  const params = flattenValidationErrors(errors);
  const first = params[0];
  const detail = params.map((p) => `${p.name}: ${p.reason}`).join('; ') || 'the request is invalid';
  return new DomainError('validation-failed', detail, { field: first?.name, invalidParams: params });
}

export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    forbidUnknownValues: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => validationErrorToDomain(errors),
  });
}
