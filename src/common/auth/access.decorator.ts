// Every route states who may call it. The guard enforces `public` and `platform-admin`; team roles
// are enforced by the service once it knows the object's team (so foreign objects answer 404).
// The role × endpoint test reads the same metadata.
import { SetMetadata, applyDecorators, createParamDecorator, type ExecutionContext } from '@nestjs/common';
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
