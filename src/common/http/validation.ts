// One ValidationPipe for every transport: unknown fields are refused, and the problem names each
// offending field by its path in the request (e.g. `process_types.0.size`).
import { ValidationPipe, type ArgumentMetadata, type PipeTransform, type ValidationError } from '@nestjs/common';
import { disallowedNulls } from '../validation/nulls.js';
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

/** Nest's ValidationPipe, telling whether it would validate an argument at all. */
class ClassValidationPipe extends ValidationPipe {
  /** Whether `transform` validates this argument (a class), or hands it back (primitives, custom decorators). */
  validates(metadata: ArgumentMetadata): boolean {
    return this.expectedType !== undefined || (metadata.metatype !== undefined && this.toValidate(metadata));
  }

  /** What `transform` answers for an argument it does not validate. */
  passThrough(value: unknown, metadata: ArgumentMetadata): unknown {
    return this.isTransformEnabled ? this.transformPrimitive(value, metadata) : value;
  }
}

/**
 * The ValidationPipe, refusing explicit nulls the input class does not document as nullable. An
 * argument it does not validate (the actor, a path or GraphQL string argument) is handed back
 * synchronously: as async functions every such argument cost a few promises, each paying
 * AsyncLocalStorage's hooks (docs/performance.md, row 3 "Third pass"). Same answers either way.
 */
class BerthValidationPipe implements PipeTransform<unknown, unknown> {
  constructor(private readonly pipe: ClassValidationPipe) {}

  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    const target = metadata.metatype;
    if (typeof target === 'function' && ![String, Number, Boolean, Object, Array].includes(target as never)) {
      const nulls = disallowedNulls(value, target as new () => unknown);
      if (nulls.length) {
        throw new DomainError('validation-failed', nulls.map((p) => `${p.name}: ${p.reason}`).join('; '), { field: nulls[0]!.name, invalidParams: nulls });
      }
    }
    return this.pipe.validates(metadata) ? this.pipe.transform(value, metadata) : this.pipe.passThrough(value, metadata);
  }
}

export function createValidationPipe(): PipeTransform<unknown, unknown> {
  return new BerthValidationPipe(new ClassValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    forbidUnknownValues: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => validationErrorToDomain(errors),
  }));
}
