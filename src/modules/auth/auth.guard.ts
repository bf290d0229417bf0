// Resolves the bearer token to an Actor on every non-public route, and enforces the route's
// platform-level access rule. Team roles are checked by services (see access.decorator.ts).
// A GraphQL operation is authenticated ONCE, before execution (src/graphql/guardrails), and its
// root fields reuse that actor (or that failure) from the shared request: 500 aliased fields cost
// one token lookup, not 500.
import { Injectable, Logger, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { accessRuleOf, requestFromContext, type AccessRule } from '../../common/auth/access.decorator.js';
import type { Actor } from '../../common/auth/actor.js';
import { requestContext } from '../../common/context/request-context.js';
import { hashToken, TOKEN_PREFIX } from '../../common/crypto/tokens.js';
import { DomainError } from '../../common/errors/domain-error.js';
import { AuthCache } from './auth-cache.js';
import { AuthRepository } from './auth.repository.js';
import { FailedAuthentication, type FailedRequest } from './failed-authentication.service.js';

const GRAPHQL_REQUEST: FailedRequest = { method: 'POST', route: '/graphql', path: '/graphql' };

/** Method, route template and path of a REST request (GraphQL requests carry no route). */
function failedRequest(request: Record<string, unknown>): FailedRequest {
  const method = typeof request.method === 'string' ? request.method : 'POST';
  const url = typeof request.url === 'string' ? request.url.split('?')[0]! : '/graphql';
  const route = (request.routeOptions as { url?: string } | undefined)?.url ?? url;
  return { method, route, path: url };
}

/** Writing last-used time on every request would turn reads into writes; once a minute is enough. */
const TOUCH_INTERVAL_MS = 60_000;

/** What a transport's request carries once authenticated (or once refused) for this request. */
export interface AuthenticatedRequest {
  actor?: Actor;
  /** The one authentication of this request, shared by concurrent callers (a batch's operations). */
  authentication?: Promise<Actor>;
  ip?: string;
}

@Injectable()
export class AuthGuard implements CanActivate {
  private readonly logger = new Logger('AuthGuard');

  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthRepository,
    private readonly failures: FailedAuthentication,
    private readonly cache: AuthCache,
  ) {}

  /**
   * Synchronous when the request already has its actor (a GraphQL root field after the operation
   * gate, or the next field of the same request): Nest then takes the answer without awaiting it,
   * which saves every root field a chain of promises (docs/performance.md, row 3 "Third pass").
   */
  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    const rule = accessRuleOf(this.reflector, context);
    if (rule?.kind === 'public') return true;
    const request = requestFromContext(context) as ReturnType<typeof requestFromContext> & AuthenticatedRequest;
    if (request.actor) return this.admit(rule, request.actor);
    const headers = (request.headers ?? {}) as Record<string, string | undefined>;
    return this.authenticateOnce(request, headers.authorization, failedRequest(request)).then((actor) => this.admit(rule, actor));
  }

  /** The route's platform-level rule, for an authenticated caller. */
  private admit(rule: AccessRule | undefined, actor: Actor): boolean {
    const ctx = requestContext.get();
    if (ctx) ctx.actor = actor;
    if (rule === undefined) {
      // A route without a rule is a programming error; refuse rather than guess.
      throw new DomainError('forbidden', 'this route declares no access rule');
    }
    if (rule.kind === 'platform-admin' && !actor.isPlatformAdmin) {
      throw new DomainError('forbidden', 'this needs a platform admin');
    }
    return true;
  }

  /** Authenticates a request once: later calls (other GraphQL fields) reuse the actor or the error. */
  async authenticateOnce(request: AuthenticatedRequest, authorization: string | undefined, where: FailedRequest = GRAPHQL_REQUEST): Promise<Actor> {
    if (request.actor) return request.actor;
    request.authentication ??= this.authenticate(authorization, request.ip, where).then((actor) => (request.actor = actor));
    return request.authentication;
  }

  /** Resolves a bearer token; failures count against the source address (401, then 429). */
  async authenticate(authorization: string | undefined, source?: string, where: FailedRequest = GRAPHQL_REQUEST): Promise<Actor> {
    this.failures.assertAllowed(source);
    try {
      return await this.resolve(authorization);
    } catch (err) {
      if (err instanceof DomainError && err.code === 'unauthenticated') throw await this.failures.failed(source, err, where);
      throw err;
    }
  }

  private async resolve(authorization: string | undefined): Promise<Actor> {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    if (!match) throw unauthenticated('send an API token as "Authorization: Bearer berth_…"');
    const token = match[1]!;
    if (!token.startsWith(TOKEN_PREFIX)) throw unauthenticated('the token is not a Berth API token');
    const hash = hashToken(token);
    const record = await this.cache.get(hash, () => this.auth.findByTokenHash(hash));
    const now = new Date();
    if (!record || record.revokedAt) throw unauthenticated('the token is unknown or revoked');
    // Checked on every request, cached or not: expiry writes nothing, so nothing would invalidate.
    if (record.expiresAt && record.expiresAt <= now) throw unauthenticated('the token has expired');
    if (!record.lastUsedAt || now.getTime() - record.lastUsedAt.getTime() > TOUCH_INTERVAL_MS) {
      // The database decides (conditional UPDATE), so concurrent requests write at most once a minute;
      // the (possibly cached) record remembers the attempt, so this replica tries once a minute too.
      record.lastUsedAt = now;
      this.auth.touch(record.tokenId).catch((err: unknown) => this.logger.warn({ err }, 'could not record token use'));
    }
    const { user } = record;
    return {
      type: 'user',
      userId: user.id,
      tokenId: record.tokenId,
      name: user.name,
      email: user.email,
      isPlatformAdmin: user.isPlatformAdmin,
      teamRoles: new Map(user.memberships.map((m) => [m.teamId, m.role])),
    };
  }
}

function unauthenticated(detail: string): DomainError {
  return new DomainError('unauthenticated', detail, { headers: { 'www-authenticate': 'Bearer realm="berth"' } });
}
