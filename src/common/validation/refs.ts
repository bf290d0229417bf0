// Path parameters accept a name or an id, as Heroku's do.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/** Prisma `where` fragment matching a record by id or by its name column. */
export function byIdOrName(ref: string): { id: string } | { name: string } {
  return isUuid(ref) ? { id: ref.toLowerCase() } : { name: ref };
}
