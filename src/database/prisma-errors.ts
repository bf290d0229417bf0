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
