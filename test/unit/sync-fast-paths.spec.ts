// The synchronous answers of the global guards and pipe (docs/performance.md, row 3 "Third pass"):
// when nothing needs awaiting they answer at once, so Nest awaits nothing; the answers themselves
// are those of the asynchronous paths.
import { describe, expect, it } from '@jest/globals';
import { IsString } from 'class-validator';
import { AuthGuard } from '../../src/modules/auth/auth.guard.js';
import { RateLimitGuard } from '../../src/common/rate-limit/rate-limit.guard.js';
import { createValidationPipe } from '../../src/common/http/validation.js';
import { DomainError } from '../../src/common/errors/domain-error.js';

const actor = { type: 'user', userId: 'u1', tokenId: 't1', name: 'U', email: 'u@example.com', isPlatformAdmin: false, teamRoles: new Map() };

function graphqlContext(req: Record<string, unknown>) {
  return { getType: () => 'graphql', getHandler: () => undefined, getClass: () => undefined, getArgs: () => [{}, {}, { req }, {}] };
}

function authGuard(rule: object | undefined): AuthGuard {
  const reflector = { getAllAndOverride: () => rule };
  const unused = new Proxy({}, { get: () => { throw new Error('no lookup expected'); } });
  return new AuthGuard(reflector as never, unused as never, unused as never, unused as never);
}

describe('AuthGuard with the actor already on the request (GraphQL root fields after the gate)', () => {
  it('admits synchronously, without looking the token up again', () => {
    expect(authGuard({ kind: 'authenticated' }).canActivate(graphqlContext({ actor }) as never)).toBe(true);
  });

  it('still refuses platform-admin fields and fields without a rule', () => {
    expect(() => authGuard({ kind: 'platform-admin' }).canActivate(graphqlContext({ actor }) as never)).toThrow(DomainError);
    expect(() => authGuard(undefined).canActivate(graphqlContext({ actor }) as never)).toThrow(/declares no access rule/);
  });
});

describe('RateLimitGuard outside HTTP routes', () => {
  it('answers true synchronously for a GraphQL field (the operation gate limits the operation)', () => {
    const limiter = { enabled: true };
    expect(new RateLimitGuard({} as never, limiter as never).canActivate(graphqlContext({}) as never)).toBe(true);
  });
});

class NamedInput {
  @IsString() name!: string;
}

describe('the global ValidationPipe', () => {
  const pipe = createValidationPipe();

  it('hands back an argument it does not validate synchronously (a string, a custom decorator)', () => {
    expect(pipe.transform('my-app', { type: 'custom', metatype: String, data: 'app' })).toBe('my-app');
    expect(pipe.transform(actor, { type: 'custom', metatype: Object })).toBe(actor);
    expect(pipe.transform('7', { type: 'param', metatype: Number, data: 'n' })).toBe(7);
  });

  it('still validates classes, refusing unknown fields and wrong types', async () => {
    await expect(Promise.resolve(pipe.transform({ name: 'x' }, { type: 'body', metatype: NamedInput }))).resolves.toEqual({ name: 'x' });
    await expect(Promise.resolve(pipe.transform({ name: 'x', extra: 1 }, { type: 'body', metatype: NamedInput }))).rejects.toMatchObject({ code: 'validation-failed' });
    await expect(Promise.resolve(pipe.transform({ name: 3 }, { type: 'body', metatype: NamedInput }))).rejects.toMatchObject({ code: 'validation-failed', options: { field: 'name' } });
  });
});
