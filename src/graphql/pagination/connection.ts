// Relay connections over the services' cursor pages. `first`/`after` become `limit`/`cursor` of the
// very query class REST validates; `last`/`before` page backwards through the same keyset (GraphQL
// only: see PageQuery.before). `totalCount` runs the list's count query (same tenant and filters)
// only when the field is selected.
import type { Type } from '@nestjs/common';
import { ArgsType, Field, Int, ObjectType } from '@nestjs/graphql';
import { plainToInstance } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min, validate } from 'class-validator';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, countOf, decodeCursor, encodeCursor, withCount, type Page, type PageQuery } from '../../common/pagination/pagination.js';
import { validationErrorToDomain } from '../../common/http/validation.js';
import { DomainError } from '../../common/errors/domain-error.js';

@ObjectType({ description: 'Where a page of a connection sits in the whole list (Relay cursor connections)' })
export class PageInfo {
  @Field({ description: 'More items follow this page (paging forward: within `before`, if given; paging backward: true when `before` was given)' })
  hasNextPage: boolean;
  @Field({ description: 'Items precede this page (paging backward: within `after`, if given; paging forward: true when `after` was given)' })
  hasPreviousPage: boolean;
  @Field(() => String, { nullable: true, description: 'Cursor of the first edge; pass as `before` with `last` for the page before; null when the page is empty' })
  startCursor: string | null;
  @Field(() => String, { nullable: true, description: 'Cursor of the last edge; pass as `after` with `first` for the page after; null when the page is empty' })
  endCursor: string | null;
}

export interface Edge<T> {
  cursor: string;
  node: T;
}

export interface ConnectionShape<T> {
  edges: Array<Edge<T>>;
  pageInfo: PageInfo;
  /** A getter: read (so the count query runs) only when totalCount is selected. */
  readonly totalCount: Promise<number>;
}

/** `@ObjectType() class AppConnection extends Connection(AppType, 'App') {}` */
export function Connection<T>(node: Type<T>, name: string): Type<ConnectionShape<T>> {
  @ObjectType(`${name}Edge`, { description: `One ${name} of a page, with its cursor` })
  class EdgeType {
    @Field({ description: 'Opaque position of this item; pass as `after` or `before`' }) cursor: string;
    @Field(() => node, { description: `The ${name}` }) node: T;
  }
  @ObjectType({ isAbstract: true })
  class ConnectionType {
    @Field(() => [EdgeType], { description: 'The items of this page, in list order' }) edges: EdgeType[];
    @Field(() => PageInfo, { description: 'Cursors and whether more items precede or follow this page' }) pageInfo: PageInfo;
    @Field(() => Int, { description: 'How many items the whole list holds (the same filters, across all pages); costs a count, so select it only when needed' })
    totalCount: Promise<number>;
  }
  return ConnectionType;
}

/** The Relay connection arguments every connection field takes. */
@ArgsType()
export class ConnectionArgs {
  @Field(() => Int, { nullable: true, description: 'Page forward: how many items after `after` (1 to 100, default 50)' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  first?: number | null;

  @Field(() => String, { nullable: true, description: 'Only items after this cursor (the endCursor of the previous page)' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  after?: string | null;

  @Field(() => Int, { nullable: true, description: 'Page backward: how many items before `before` (1 to 100); not together with first' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  last?: number | null;

  @Field(() => String, { nullable: true, description: 'Only items before this cursor (the startCursor of the next page)' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  before?: string | null;
}

// Connections under a parent named by the caller. One ArgsType per shape, because the global
// ValidationPipe sees all of a field's arguments at once when they are an ArgsType.

@ArgsType()
export class TeamChildrenArgs extends ConnectionArgs {
  @Field({ description: 'The team, by name or id' })
  @IsString()
  team: string;
}

@ArgsType()
export class AppChildrenArgs extends ConnectionArgs {
  @Field({ description: 'The app, by name or id' })
  @IsString()
  app: string;
}

@ArgsType()
export class EnvironmentChildrenArgs extends AppChildrenArgs {
  @Field({ description: 'The environment, by name or id' })
  @IsString()
  environment: string;
}

function given<V>(value: V | null | undefined): value is V {
  return value !== null && value !== undefined;
}

function isBackward(args: ConnectionArgs): boolean {
  if (given(args.first) && given(args.last)) throw DomainError.invalid('last', 'page with either first or last, not both');
  return given(args.last);
}

/** Builds and validates the REST query class from connection arguments (and its other filters). */
export async function pageQuery<Q extends PageQuery>(cls: Type<Q>, args: ConnectionArgs = {}, filters: object = {}): Promise<Q> {
  const backward = isBackward(args);
  const renamed: Record<string, string> = { limit: backward ? 'last' : 'first', cursor: 'after' };
  const plain: Record<string, unknown> = { ...filters };
  const size = backward ? args.last : args.first;
  if (given(size)) plain.limit = size;
  if (given(args.after)) plain.cursor = args.after;
  const query = plainToInstance(cls, plain);
  const errors = await validate(query, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true, validationError: { target: false, value: false } });
  if (errors.length) {
    const domain = validationErrorToDomain(errors);
    const params = (domain.options.invalidParams ?? []).map((p) => ({ name: renamed[p.name] ?? p.name, reason: p.reason }));
    throw new DomainError('validation-failed', params.map((p) => `${p.name}: ${p.reason}`).join('; '), { field: params[0]?.name, invalidParams: params });
  }
  if (given(args.before)) query.before = args.before;
  query.backward = backward;
  return query;
}

/** Maps a service page onto a connection; `key` is the field the service's cursor encodes. */
export function toConnection<T>(page: Page<T>, key: (item: T) => string | number, args: ConnectionArgs = {}): ConnectionShape<T> {
  const backward = given(args.last);
  const edges = page.items.map((node) => ({ cursor: encodeCursor(key(node)), node }));
  const more = page.next_cursor !== null;
  const count = countOf(page);
  return {
    edges,
    pageInfo: {
      hasNextPage: backward ? given(args.before) : more,
      hasPreviousPage: backward ? more : given(args.after),
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
    get totalCount() {
      return count ? count() : Promise.reject(new Error('this list has no count'));
    },
  };
}

/** A connection over a parent's whole (small, id-ordered) child list, loaded in one batch. */
export function sliceConnection<T extends { id: string }>(items: T[], args: ConnectionArgs = {}): ConnectionShape<T> {
  const backward = isBackward(args);
  const limit = (backward ? args.last : args.first) ?? DEFAULT_PAGE_SIZE;
  if (limit < 1 || limit > MAX_PAGE_SIZE) throw DomainError.invalid(backward ? 'last' : 'first', `must be between 1 and ${MAX_PAGE_SIZE}`);
  const afterId = given(args.after) ? decodeCursor<string>(args.after, 'string') : undefined;
  const beforeId = given(args.before) ? decodeCursor<string>(args.before, 'string') : undefined;
  const range = items.filter((i) => (afterId === undefined || i.id > afterId) && (beforeId === undefined || i.id < beforeId));
  const page = backward ? range.slice(Math.max(0, range.length - limit)) : range.slice(0, limit);
  const edge = backward ? page[0] : page[page.length - 1];
  const next = range.length > limit && edge ? encodeCursor(edge.id) : null;
  return toConnection(withCount({ items: page, next_cursor: next }, async () => items.length), (i) => i.id, args);
}
