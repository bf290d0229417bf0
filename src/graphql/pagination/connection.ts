// Relay connections over the services' cursor pages: `first`/`after` become `limit`/`cursor` of the
// very query class REST validates, and `next_cursor` becomes pageInfo.endCursor.
import type { Type } from '@nestjs/common';
import { Field, Int, ObjectType } from '@nestjs/graphql';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, decodeCursor, encodeCursor, type Page, type PageQuery } from '../../common/pagination/pagination.js';
import { validationErrorToDomain } from '../../common/http/validation.js';
import { DomainError } from '../../common/errors/domain-error.js';

@ObjectType()
export class PageInfo {
  @Field() hasNextPage: boolean;
  @Field({ description: 'True when this page starts after a cursor (items precede it); paging is forward only (first/after)' }) hasPreviousPage: boolean;
  @Field(() => String, { nullable: true }) startCursor: string | null;
  @Field(() => String, { nullable: true }) endCursor: string | null;
}

export interface Edge<T> {
  cursor: string;
  node: T;
}

export interface ConnectionShape<T> {
  edges: Array<Edge<T>>;
  pageInfo: PageInfo;
}

/** `@ObjectType() class AppConnection extends Connection(AppType, 'App') {}` */
export function Connection<T>(node: Type<T>, name: string): Type<ConnectionShape<T>> {
  @ObjectType(`${name}Edge`)
  class EdgeType {
    @Field() cursor: string;
    @Field(() => node) node: T;
  }
  @ObjectType({ isAbstract: true })
  class ConnectionType {
    @Field(() => [EdgeType]) edges: EdgeType[];
    @Field(() => PageInfo) pageInfo: PageInfo;
  }
  return ConnectionType;
}

export const FIRST_ARG = { type: () => Int, nullable: true, description: 'Page size, 1 to 100 (default 50)' } as const;
export const AFTER_ARG = { type: () => String, nullable: true, description: 'endCursor of the previous page' } as const;

const RENAMED: Record<string, string> = { limit: 'first', cursor: 'after' };

/** Builds and validates the REST query class from connection arguments (and its other filters). */
export async function pageQuery<Q extends PageQuery>(cls: Type<Q>, first: number | null | undefined, after: string | null | undefined, filters: object = {}): Promise<Q> {
  const plain: Record<string, unknown> = { ...filters };
  if (first !== null && first !== undefined) plain.limit = first;
  if (after !== null && after !== undefined) plain.cursor = after;
  const query = plainToInstance(cls, plain);
  const errors = await validate(query, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true, validationError: { target: false, value: false } });
  if (errors.length) {
    const domain = validationErrorToDomain(errors);
    const params = (domain.options.invalidParams ?? []).map((p) => ({ name: RENAMED[p.name] ?? p.name, reason: p.reason }));
    throw new DomainError('validation-failed', params.map((p) => `${p.name}: ${p.reason}`).join('; '), { field: params[0]?.name, invalidParams: params });
  }
  return query;
}

/** Maps a service page onto a connection; `key` is the field the service's cursor encodes, `after` the cursor it started from. */
export function toConnection<T>(page: Page<T>, key: (item: T) => string | number, after?: string | null): ConnectionShape<T> {
  const edges = page.items.map((node) => ({ cursor: encodeCursor(key(node)), node }));
  return {
    edges,
    pageInfo: {
      hasNextPage: page.next_cursor !== null,
      hasPreviousPage: Boolean(after),
      startCursor: edges[0]?.cursor ?? null,
      endCursor: page.next_cursor ?? edges[edges.length - 1]?.cursor ?? null,
    },
  };
}

/** A connection over a parent's whole (small, id-ordered) child list, loaded in one batch. */
export function sliceConnection<T extends { id: string }>(items: T[], first: number | null | undefined, after: string | null | undefined): ConnectionShape<T> {
  const limit = first ?? DEFAULT_PAGE_SIZE;
  if (limit < 1 || limit > MAX_PAGE_SIZE) throw DomainError.invalid('first', `must be between 1 and ${MAX_PAGE_SIZE}`);
  const afterId = after ? decodeCursor<string>(after, 'string') : undefined;
  const rest = afterId ? items.filter((i) => i.id > afterId) : items;
  const page = rest.slice(0, limit);
  return toConnection({ items: page, next_cursor: rest.length > limit ? encodeCursor(page[page.length - 1]!.id) : null }, (i) => i.id, after);
}
