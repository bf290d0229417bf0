// After the limits, before execution: authenticate the operation ONCE (its fields reuse the actor,
// see AuthGuard.authenticateOnce) and apply the REST rate limits to it. An operation draws
// max(1, ⌈cost / COST_PER_REQUEST⌉) tokens from the caller's `api` bucket, and at least one per
// mutation root field (each is a REST request's worth of work); mutations whose REST twin is a
// deploy (createRelease) also draw one token each from the `deploy` bucket.
import { Injectable } from '@nestjs/common';
import { GraphQLError, type OperationDefinitionNode } from 'graphql';
import type { Actor } from '../../common/auth/actor.js';
import { DomainError } from '../../common/errors/domain-error.js';
import { RateLimiter } from '../../common/rate-limit/rate-limiter.js';
import type { Caller } from '../../common/rate-limit/token-bucket.js';
import { AuthGuard, type AuthenticatedRequest } from '../../modules/auth/auth.guard.js';
import type { OperationAdmission, OperationFacts } from './guardrails.js';

/** A query of this cost weighs as much as one REST request. */
export const COST_PER_REQUEST = 100;

/** Mutations that are deploys over REST (POST …/releases): they draw from the deploy bucket too. */
export const DEPLOY_MUTATIONS: ReadonlySet<string> = new Set(['createRelease']);

export function operationWeight(operation: OperationDefinitionNode['operation'], facts: OperationFacts): number {
  const byCost = Math.max(1, Math.ceil(facts.cost / COST_PER_REQUEST));
  return operation === 'mutation' ? Math.max(byCost, facts.rootFields.length) : byCost;
}

/** The GraphQL shape of a DomainError raised before execution: status and headers on the HTTP answer. */
export function operationError(error: DomainError): GraphQLError {
  const headers = new Map(Object.entries(error.options.headers ?? {}));
  return new GraphQLError(error.detail, { originalError: error, extensions: { http: { status: error.status, headers } } });
}

interface GateRequest extends AuthenticatedRequest {
  headers?: Record<string, string | string[] | undefined>;
}

@Injectable()
export class OperationGate implements OperationAdmission {
  constructor(
    private readonly auth: AuthGuard,
    private readonly limiter: RateLimiter,
  ) {}

  /** A graphql-ws connection is one request's worth from the token's `api` bucket. */
  async admitConnection(actor: Actor, ip: string | undefined): Promise<void> {
    await this.limiter.consume('api', { tokenId: actor.tokenId, userId: actor.userId, ip });
  }

  async admit(req: unknown, operation: OperationDefinitionNode, facts: OperationFacts): Promise<void> {
    const request = (req ?? {}) as GateRequest;
    const authorization = request.headers?.authorization;
    let actor: Actor | undefined;
    try {
      // Without credentials there is nothing to check yet (introspection needs none); a protected
      // field refuses it later, once for the whole request.
      if (authorization) actor = await this.auth.authenticateOnce(request, Array.isArray(authorization) ? authorization[0] : authorization);
    } catch (err) {
      // A 401 is answered per field (as before); a source refused for too many failures is refused whole.
      if (err instanceof DomainError && err.code === 'rate-limited') throw operationError(err);
    }
    const caller: Caller = { tokenId: actor?.tokenId, userId: actor?.userId, ip: request.ip };
    try {
      await this.limiter.consume('api', caller, operationWeight(operation.operation, facts));
      if (operation.operation === 'mutation') {
        for (const field of facts.rootFields) if (DEPLOY_MUTATIONS.has(field)) await this.limiter.consume('deploy', caller);
      }
    } catch (err) {
      if (err instanceof DomainError) throw operationError(err);
      throw err;
    }
  }
}
