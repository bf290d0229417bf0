// Prisma errors translated at the repository edge, so services only ever see DomainErrors.
import { Prisma } from '../generated/prisma/client.js';
import { DomainError } from '../common/errors/domain-error.js';

export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';
}

/** Runs a write, turning a unique-constraint violation into a 409 naming the field. */
export async function uniquely<T>(write: () => Promise<T>, kind: string, field: string, value: string): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (isUniqueViolation(error)) throw DomainError.alreadyExists(kind, field, value);
    throw error;
  }
}

/**
 * A statement that found no free connection in time (BusyAwarePool in prisma.service.ts throws the
 * domain's 503): as the prepared statements get it, or as Prisma hands it on, re-wrapped in its own
 * error class with the code kept. Undefined for any other error.
 */
export function busyDatabase(error: unknown): DomainError | undefined {
  if (error instanceof DomainError) return error.code === 'unavailable' ? error : undefined;
  if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'unavailable') {
    return new DomainError('unavailable', 'the database is busy: no connection became free in time; retry shortly', { headers: { 'retry-after': '1' } });
  }
  return undefined;
}
