// Every route states who may call it. The guard enforces `public` and `platform-admin`; team roles
// are enforced by the service once it knows the object's team (so foreign objects answer 404).
// The role × endpoint test reads the same metadata.
import { SetMetadata, applyDecorators, createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Reflector } from '@nestjs/core';
import { ApiBearerAuth, ApiExtension, ApiSecurity } from '@nestjs/swagger';
import type { Actor, TeamRole } from './actor.js';

export type AccessRule = { kind: 'public' } | { kind: 'authenticated' } | { kind: 'platform-admin' } | { kind: 'team'; role: TeamRole };

export const ACCESS_KEY = 'berth:access';

export function Access(rule: AccessRule): MethodDecorator & ClassDecorator {
  const decorators = [SetMetadata(ACCESS_KEY, rule), ApiExtension('x-berth-access', rule.kind === 'team' ? `team:${rule.role}` : rule.kind)];
  if (rule.kind !== 'public') decorators.push(ApiBearerAuth());
  else decorators.push(ApiSecurity({}));
  return applyDecorators(...decorators);
}

export const Public = () => Access({ kind: 'public' });
export const Authenticated = () => Access({ kind: 'authenticated' });
export const PlatformAdmin = () => Access({ kind: 'platform-admin' });
export const TeamAccess = (role: TeamRole) => Access({ kind: 'team', role });

/** Rules by class and handler: metadata never changes after start-up, and guards ask on every request. */
const rules = new WeakMap<object, WeakMap<object, AccessRule | null>>();

/** The access rule of the route `context` runs (the handler's, else its class's). */
export function accessRuleOf(reflector: Reflector, context: ExecutionContext): AccessRule | undefined {
  const handler = context.getHandler();
  const type = context.getClass();
  if (typeof handler !== 'function' || typeof type !== 'function') return reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_KEY, [handler, type]);
  let byHandler = rules.get(type);
  if (!byHandler) rules.set(type, (byHandler = new WeakMap()));
  let rule = byHandler.get(handler);
  if (rule === undefined) {
    rule = reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_KEY, [handler, type]) ?? null;
    byHandler.set(handler, rule);
  }
  return rule ?? undefined;
}

interface RequestWithActor {
  actor?: Actor;
}

export function requestFromContext(context: ExecutionContext): RequestWithActor & Record<string, unknown> {
  if (context.getType<string>() === 'graphql') {
    const gqlContext = context.getArgs()[2] as { req?: RequestWithActor & Record<string, unknown> };
    return gqlContext.req ?? {};
  }
  return context.switchToHttp().getRequest();
}

/** The authenticated caller; only on routes that are not public. */
export const CurrentActor = createParamDecorator((_data: unknown, context: ExecutionContext): Actor => {
  const actor = requestFromContext(context).actor;
  if (!actor) throw new Error('CurrentActor used on a public route');
  return actor;
});
