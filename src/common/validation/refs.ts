// Path parameters accept a name or an id, as Heroku's do. Every repository that resolves such a
// reference builds its filter with `whereRef`: the reference and the tenant scope are separate AND
// terms, so a scope can never overwrite the reference's `id` (the bug of issue #12, where
// `{...byIdOrName(ref), id: {in: teamIds}}` made any team uuid resolve to the caller's own team).
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/** What a reference names: an id when it has the shape of one (names may not), else a name. */
type Named<K extends string> = { id: string } | { [P in K]: string };

function refTerm<K extends string>(ref: string, nameColumn: K): Named<K> {
  return isUuid(ref) ? { id: ref.toLowerCase() } : ({ [nameColumn]: ref } as { [P in K]: string });
}

/**
 * A Prisma `where` matching exactly the record `ref` names (by id, or by `nameColumn`) AND every
 * scope given (tenant, parent). Undefined scopes (platform admins) add nothing.
 */
export function whereRef<S extends object, K extends string = 'name'>(
  ref: string,
  scopes: ReadonlyArray<S | undefined>,
  nameColumn: K = 'name' as K,
): { AND: Array<Named<K> | S> } {
  return { AND: [refTerm(ref, nameColumn), ...scopes.filter((s): s is S => s !== undefined)] };
}

/** A `where` matching exactly the record with this id AND every scope given. */
export function whereId<S extends object>(id: string, scopes: ReadonlyArray<S | undefined>): { AND: Array<{ id: string } | S> } {
  return { AND: [{ id }, ...scopes.filter((s): s is S => s !== undefined)] };
}
