// Keyset pages in both directions (common/pagination): the Prisma range and order a repository
// uses, and how rows become a page; and the GraphQL connection built on them.
import { describe, expect, it } from '@jest/globals';
import { encodeCursor, keyset, pageRequest, toPage, withCount, countOf } from '../../src/common/pagination/pagination.js';
import { sliceConnection, toConnection } from '../../src/graphql/pagination/connection.js';

const ids = ['a', 'b', 'c', 'd', 'e'].map((id) => ({ id }));

/** What a repository does with `keyset`: filter the range, sort, take. */
function read(rows: Array<{ id: string }>, page: ReturnType<typeof pageRequest<string>>) {
  const k = keyset(page);
  const inRange = rows.filter((r) => (k.range?.gt === undefined || r.id > k.range.gt) && (k.range?.lt === undefined || r.id < k.range.lt));
  const sorted = [...inRange].sort((x, y) => (k.order === 'asc' ? x.id.localeCompare(y.id) : y.id.localeCompare(x.id)));
  return sorted.slice(0, k.take);
}

describe('keyset pages', () => {
  it('reads forward after a cursor and backward before one', () => {
    expect(keyset({ limit: 2, after: 'b' })).toEqual({ range: { gt: 'b' }, order: 'asc', take: 3 });
    expect(keyset({ limit: 2, after: undefined, before: 'd', backward: true })).toEqual({ range: { lt: 'd' }, order: 'desc', take: 3 });
    // Descending lists (releases, newest first) turn every bound around.
    expect(keyset({ limit: 2, after: 7, before: 3 }, 'desc')).toEqual({ range: { lt: 7, gt: 3 }, order: 'desc', take: 3 });
    expect(keyset({ limit: 2, after: undefined, backward: true }, 'desc')).toEqual({ range: undefined, order: 'asc', take: 3 });
  });

  it('puts a backward page back in list order, its cursor at the first item when more precede', () => {
    const request = pageRequest<string>({ limit: 2, before: encodeCursor('e'), backward: true });
    const page = toPage(read(ids, request), request, (r) => r.id, (r) => r.id);
    expect(page).toEqual({ items: ['c', 'd'], next_cursor: encodeCursor('c') });
    const start = pageRequest<string>({ limit: 2, before: encodeCursor('c'), backward: true });
    expect(toPage(read(ids, start), start, (r) => r.id, (r) => r.id)).toEqual({ items: ['a', 'b'], next_cursor: null });
  });

  it('keeps the count out of the REST answer', () => {
    const page = withCount({ items: [1], next_cursor: null }, async () => 7);
    expect(JSON.parse(JSON.stringify(page))).toEqual({ items: [1], next_cursor: null });
    expect(countOf(page)).toBeDefined();
  });
});

describe('connections', () => {
  it('derives pageInfo from the direction and the cursors given', () => {
    const forward = toConnection({ items: ['x', 'y'], next_cursor: encodeCursor('y') }, (i) => i, { first: 2, after: encodeCursor('w') });
    expect(forward.pageInfo).toEqual({ hasNextPage: true, hasPreviousPage: true, startCursor: encodeCursor('x'), endCursor: encodeCursor('y') });
    const backward = toConnection({ items: ['x', 'y'], next_cursor: null }, (i) => i, { last: 2, before: encodeCursor('z') });
    expect(backward.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    const empty = toConnection({ items: [], next_cursor: null }, (i: string) => i, {});
    expect(empty.pageInfo).toEqual({ hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null });
  });

  it('runs the count only when totalCount is read', async () => {
    let counted = 0;
    const connection = toConnection(withCount({ items: [], next_cursor: null }, async () => ++counted), (i: string) => i);
    expect(counted).toBe(0);
    expect(await connection.totalCount).toBe(1);
  });

  it('slices a whole child list both ways', async () => {
    const last = sliceConnection(ids, { last: 2 });
    expect(last.edges.map((e) => e.node.id)).toEqual(['d', 'e']);
    expect(last.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: false });
    const before = sliceConnection(ids, { last: 2, before: last.pageInfo.startCursor });
    expect(before.edges.map((e) => e.node.id)).toEqual(['b', 'c']);
    expect(await before.totalCount).toBe(5);
    expect(() => sliceConnection(ids, { first: 1, last: 1 })).toThrow(/either first or last/);
  });
});
