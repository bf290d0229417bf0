// Every GraphQL request is one HTTP route (POST /graphql), so the HTTP histogram cannot tell a cheap
// query from a deploy. Its operation histogram labels each one by type and name. Names come from callers,
// so the label set is bounded: anonymous operations are `anonymous`, names that are not plain
// GraphQL names are `invalid`, and once MAX_OPERATION_NAMES distinct names have been seen every new
// one is `other` (a client generating names cannot grow the series without limit). The histogram is
// observed by src/graphql/request-plugin.ts.

export const MAX_OPERATION_NAMES = 100;
export const ANONYMOUS = 'anonymous';
export const OTHER = 'other';
export const INVALID = 'invalid';
/** The request did not get as far as a known operation (parse or validation error, refused). */
export const UNKNOWN_TYPE = 'unknown';

const NAME = /^[_A-Za-z][_0-9A-Za-z]{0,63}$/;

export class OperationNames {
  private readonly seen = new Set<string>();

  constructor(private readonly max = MAX_OPERATION_NAMES) {}

  label(name: string | null | undefined): string {
    if (!name) return ANONYMOUS;
    if (!NAME.test(name)) return INVALID;
    if (this.seen.has(name)) return name;
    if (this.seen.size >= this.max) return OTHER;
    this.seen.add(name);
    return name;
  }
}
