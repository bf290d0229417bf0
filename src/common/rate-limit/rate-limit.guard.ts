// Rate limits every Nest REST route per caller. Registered as a global guard by RateLimitModule, which
// AppModule imports after AuthModule, so it runs after AuthGuard and sees request.actor. GraphQL
// operations are limited once per operation by the GraphQL gate (src/graphql/guardrails), through
// the same RateLimiter. Costs one SQL statement per limited request.
import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { accessRuleOf, requestFromContext } from '../auth/access.decorator.js';
import type { Actor } from '../auth/actor.js';
import { RateLimiter } from './rate-limiter.js';
import { bucketFor } from './token-bucket.js';


@Injectable()
export class RateLimitGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly limiter: RateLimiter,
  ) {}

  /** Synchronous when nothing is limited here (GraphQL fields, limiter off, unlimited routes): Nest then awaits nothing. */
  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    if (!this.limiter.enabled || context.getType() !== 'http') return true;
    const request = requestFromContext(context) as unknown as FastifyRequest & { actor?: Actor };
    const bucket = bucketFor(request.method, request.routeOptions.url);
    if (!bucket) return true;
    return this.limit(context, request, bucket);
  }

  private async limit(context: ExecutionContext, request: FastifyRequest & { actor?: Actor }, bucket: NonNullable<ReturnType<typeof bucketFor>>): Promise<boolean> {
    const rule = accessRuleOf(this.reflector, context);
    if (rule?.kind !== 'public' && !request.actor) {
      // AuthGuard sets the actor on every non-public route; without it every caller would share one
      // bucket per address. Module order decides guard order: RateLimitModule must follow AuthModule.
      throw new Error('RateLimitGuard ran before AuthGuard');
    }
    const headers = await this.limiter.consume(bucket, { tokenId: request.actor?.tokenId, userId: request.actor?.userId, ip: request.ip });
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    for (const [name, value] of Object.entries(headers)) void reply.header(name, value);
    return true;
  }
}
