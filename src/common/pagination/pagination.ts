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
}

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

export interface PageRequest<K> {
  limit: number;
  after: K | undefined;
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
  return { limit: query.limit ?? DEFAULT_PAGE_SIZE, after: decodeCursor<K>(query.cursor, kind) };
}

/** Repositories fetch limit + 1 rows; the extra one tells whether a next page exists. */
export function toPage<R, T>(rows: R[], limit: number, key: (row: R) => string | number, map: (row: R) => T): Page<T> {
  const hasMore = rows.length > limit;
  const pageRows = hasMore ? rows.slice(0, limit) : rows;
  const last = pageRows[pageRows.length - 1];
  return { items: pageRows.map(map), next_cursor: hasMore && last !== undefined ? encodeCursor(key(last)) : null };
}
