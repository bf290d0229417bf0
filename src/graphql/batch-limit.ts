// Batched HTTP requests (a JSON array of operations) carry at most `maxBatch` operations.
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { GRAPHQL_PATH } from './graphql.options.js';
import { GRAPHQL_LIMITS } from './graphql.tokens.js';
import type { GraphqlLimits } from './guardrails/guardrails.js';

@Injectable()
export class BatchLimit implements OnModuleInit {
  constructor(
    private readonly host: HttpAdapterHost,
    @Inject(GRAPHQL_LIMITS) private readonly limits: GraphqlLimits,
  ) {}

  onModuleInit(): void {
    const fastify = this.host.httpAdapter.getInstance<FastifyInstance>();
    const max = this.limits.maxBatch;
    fastify.addHook('preHandler', async (request, reply) => {
      if (request.url.split('?')[0] !== GRAPHQL_PATH || !Array.isArray(request.body) || request.body.length <= max) return;
      const message = `a batched request may carry at most ${max} operations (got ${request.body.length})`;
      return reply.status(400).header('content-type', 'application/json').send({ errors: [{ message, extensions: { code: 'LIMIT_EXCEEDED', limit: 'batch', max, actual: request.body.length } }] });
    });
  }
}
