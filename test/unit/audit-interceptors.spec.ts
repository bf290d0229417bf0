// Reads run with no interceptor at all (so Nest calls their handlers without an rxjs pipeline,
// docs/performance.md): the audit interceptors are applied by `@Audited` (REST), PayloadMutation and
// GraphqlAudited (GraphQL) to exactly the operations that are audited, and nothing is global.
import { describe, expect, it } from '@jest/globals';
import { INTERCEPTORS_METADATA, MODULE_METADATA } from '@nestjs/common/constants.js';
import { APP_INTERCEPTOR } from '@nestjs/core';
import type { DynamicModule, Provider, Type } from '@nestjs/common';
import { AppModule } from '../../src/app.module.js';
import { AuditInterceptor } from '../../src/common/audit/audit.interceptor.js';
import { AUDITED_KEY } from '../../src/common/audit/audited-route.js';
import type { BerthConfig } from '../../src/config/config.js';
import type { PrismaService } from '../../src/database/prisma.service.js';
import { GraphqlAuditInterceptor } from '../../src/graphql/graphql-audit.interceptor.js';
import { PAYLOAD_KEY } from '../../src/graphql/mutation-payload.js';

const CONFIG = { graphqlIntrospection: false, trustProxy: false } as unknown as BerthConfig;
const root = AppModule.register({ config: CONFIG, prisma: {} as PrismaService, databaseUrl: 'postgresql://unused', encryptionKeys: [Buffer.alloc(32, 7).toString('base64')] });

type ModuleLike = Type<unknown> | DynamicModule | Promise<DynamicModule>;

/** Every module reachable from the application's, with its controllers and providers. */
function walk(): { controllers: Set<Type<unknown>>; providers: Provider[] } {
  const controllers = new Set<Type<unknown>>();
  const providers: Provider[] = [];
  const seen = new Set<unknown>();
  const visit = (entry: ModuleLike | undefined) => {
    if (!entry || entry instanceof Promise || seen.has(entry)) return;
    seen.add(entry);
    const dynamic = 'module' in entry ? entry : undefined;
    const type = (dynamic ? dynamic.module : entry) as Type<unknown>;
    const meta = (key: string) => (Reflect.getMetadata(key, type) as unknown[] | undefined) ?? [];
    for (const c of [...meta(MODULE_METADATA.CONTROLLERS), ...(dynamic?.controllers ?? [])]) controllers.add(c as Type<unknown>);
    providers.push(...(meta(MODULE_METADATA.PROVIDERS) as Provider[]), ...(dynamic?.providers ?? []));
    for (const imported of [...meta(MODULE_METADATA.IMPORTS), ...(dynamic?.imports ?? [])]) visit(imported as ModuleLike);
  };
  visit(root);
  return { controllers, providers };
}

const { controllers, providers } = walk();
const resolvers = new Set(providers.filter((p): p is Type<unknown> => typeof p === 'function' && Reflect.hasMetadata('graphql:resolver_name', p) === true));

/** Every handler method of `classes`, with the interceptors that apply to it (class and method). */
function handlers(classes: Iterable<Type<unknown>>): Array<{ name: string; audited: boolean; payload: boolean; interceptors: unknown[] }> {
  return [...classes].flatMap((cls) => {
    const proto = cls.prototype as Record<string, unknown>;
    const onClass = (Reflect.getMetadata(INTERCEPTORS_METADATA, cls) as unknown[] | undefined) ?? [];
    return Object.getOwnPropertyNames(proto)
      .filter((key) => key !== 'constructor' && typeof Object.getOwnPropertyDescriptor(proto, key)?.value === 'function')
      .map((key) => {
        const method = proto[key] as object;
        return {
          name: `${cls.name}.${key}`,
          audited: Reflect.hasMetadata(AUDITED_KEY, method),
          payload: Reflect.hasMetadata(PAYLOAD_KEY, method),
          interceptors: [...onClass, ...((Reflect.getMetadata(INTERCEPTORS_METADATA, method) as unknown[] | undefined) ?? [])],
        };
      });
  });
}

describe('audit interceptors', () => {
  it('found the controllers and resolvers it checks', () => {
    expect(controllers.size).toBeGreaterThan(15);
    expect(resolvers.size).toBeGreaterThan(15);
  });

  it('registers no global interceptor', () => {
    const provided = providers.filter((p) => typeof p === 'object' && p !== null && 'provide' in p).map((p) => (p as { provide: unknown }).provide);
    expect(provided).not.toContain(APP_INTERCEPTOR);
  });

  it('runs the audit interceptor on audited REST routes and no interceptor on any other (reads)', () => {
    const routes = handlers(controllers);
    expect(routes.filter((r) => r.audited).length).toBeGreaterThan(30);
    for (const route of routes) expect({ route: route.name, interceptors: route.interceptors }).toEqual({ route: route.name, interceptors: route.audited ? [AuditInterceptor] : [] });
  });

  it('runs the GraphQL audit interceptor on mutations and audited queries, and none on other resolvers', () => {
    const fields = handlers(resolvers);
    expect(fields.filter((f) => f.payload).length).toBeGreaterThan(30);
    for (const field of fields) {
      // AuditInterceptor (from @Audited) passes GraphQL operations through; GraphqlAuditInterceptor audits them.
      const expected = field.audited ? expect.arrayContaining([GraphqlAuditInterceptor, AuditInterceptor]) : field.payload ? [GraphqlAuditInterceptor] : [];
      expect({ field: field.name, interceptors: field.interceptors }).toEqual({ field: field.name, interceptors: expected });
    }
  });
});
