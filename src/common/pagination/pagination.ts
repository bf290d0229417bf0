// Cursor pagination for every list: `limit` (1..100) and an opaque `cursor`; the body carries
// `next_cursor`, and PaginationLinkInterceptor adds the matching `Link: <…>; rel="next"` header.
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { DomainError } from '../errors/domain-error.js';

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 50;

export class PageQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit?: number;

  @ApiPropertyOptional({ description: 'Opaque cursor from a previous page\'s next_cursor' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;

  // GraphQL's backward paging (last/before) only: no validation decorator, so REST's ValidationPipe
  // refuses them as unknown parameters; the GraphQL connection arguments set them after validating.
  /** Opaque cursor: only items before it. */
  before?: string;
  /** Take the `limit` items nearest to `before` (or the end) instead of those after `cursor`. */
  backward?: boolean;
}

export interface Page<T> {
  items: T[];
  /** Forward: the cursor to continue after. Backward (GraphQL `last`): the cursor of the first item when more precede it. */
  next_cursor: string | null;
}

export interface PageRequest<K> {
  limit: number;
  after: K | undefined;
  before?: K | undefined;
  backward?: boolean;
}

/** How many items a list holds with the filters of a page (GraphQL's totalCount), computed only when asked for. */
const COUNT = Symbol('berth.page.count');

/**
 * Attaches `count` to a page without making it part of the REST answer (a symbol key is never
 * serialised); the GraphQL connection calls it only when totalCount is selected.
 */
export function withCount<P extends Page<unknown>>(page: P, count: () => Promise<number>): P {
  Object.defineProperty(page, COUNT, { value: count, enumerable: false, configurable: true });
  return page;
}

export function countOf(page: Page<unknown>): (() => Promise<number>) | undefined {
  return (page as unknown as Record<symbol, (() => Promise<number>) | undefined>)[COUNT];
}

/**
 * The Prisma parts of a keyset page over one unique key ordered `order` in forward paging:
 * the key range (`after` … `before`), the order to read in (reversed when paging backward) and how
 * many rows to take (one more than the page, to tell whether more exist).
 */
export function keyset<K extends string | number>(page: PageRequest<K>, order: 'asc' | 'desc' = 'asc'): { range: Record<string, K> | undefined; order: 'asc' | 'desc'; take: number } {
  const [past, upTo] = order === 'asc' ? (['gt', 'lt'] as const) : (['lt', 'gt'] as const);
  const range: Record<string, K> = {};
  if (page.after !== undefined) range[past] = page.after;
  if (page.before !== undefined) range[upTo] = page.before;
  const reversed = order === 'asc' ? 'desc' : 'asc';
  return { range: Object.keys(range).length ? range : undefined, order: page.backward ? reversed : order, take: page.limit + 1 };
}

export function encodeCursor(key: string | number): string {
  return Buffer.from(JSON.stringify({ k: key })).toString('base64url');
}

export function decodeCursor<K extends string | number>(cursor: string | undefined, kind: 'string' | 'number'): K | undefined {
  if (cursor === undefined) return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { k?: unknown };
    if (typeof parsed.k === kind) return parsed.k as K;
  } catch {
    // fall through to the error below
  }
  throw DomainError.invalid('cursor', 'is not a cursor this list handed out');
}

export function pageRequest<K extends string | number>(query: PageQuery, kind: 'string' | 'number' = 'string'): PageRequest<K> {
  return { limit: query.limit ?? DEFAULT_PAGE_SIZE, after: decodeCursor<K>(query.cursor, kind), before: decodeCursor<K>(query.before, kind), backward: query.backward === true };
}

/**
 * Repositories fetch limit + 1 rows (see `keyset`); the extra one tells whether more exist. Paging
 * backward, rows come nearest-first and are put back in list order.
 */
export function toPage<R, T>(rows: R[], request: number | Pick<PageRequest<unknown>, 'limit' | 'backward'>, key: (row: R) => string | number, map: (row: R) => T): Page<T> {
  const { limit, backward } = typeof request === 'number' ? { limit: request, backward: false } : request;
  const hasMore = rows.length > limit;
  const pageRows = hasMore ? rows.slice(0, limit) : rows.slice();
  if (backward) pageRows.reverse();
  const edge = backward ? pageRows[0] : pageRows[pageRows.length - 1];
  return { items: pageRows.map(map), next_cursor: hasMore && edge !== undefined ? encodeCursor(key(edge)) : null };
}
