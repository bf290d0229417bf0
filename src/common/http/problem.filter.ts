// Translates every error that reaches the REST transport into problem+json. Unknown errors are
// logged with the request id and answered without any internal detail.
import { ArgumentsHost, Catch, HttpException, Logger, Optional, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../errors/domain-error.js';
import { busyDatabase } from '../../database/prisma-errors.js';
import { DenialRecorder } from '../audit/audit-ports.js';
import { PROBLEM_CONTENT_TYPE, codeForStatus, problemFromDomainError } from './problem.js';

export function toDomainError(error: unknown): DomainError | undefined {
  if (error instanceof DomainError) return error;
  const busy = busyDatabase(error);
  if (busy) return busy;
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const response = error.getResponse();
    const message = typeof response === 'object' && response !== null && 'message' in response ? String((response as { message: unknown }).message) : error.message;
    return new DomainError(codeForStatus(status), message);
  }
  const fastifyError = error as { statusCode?: number; code?: string; message?: string };
  if (typeof fastifyError.statusCode === 'number' && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500 && typeof fastifyError.code === 'string' && fastifyError.code.startsWith('FST_')) {
    const detail =
      fastifyError.code === 'FST_ERR_CTP_BODY_TOO_LARGE'
        ? 'the request body is larger than this server accepts'
        : fastifyError.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE'
          ? 'send the body as application/json'
          : fastifyError.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || fastifyError.code === 'FST_ERR_CTP_EMPTY_JSON_BODY'
            ? `the body is not valid JSON: ${fastifyError.message ?? ''}`.trim()
            : (fastifyError.message ?? 'bad request');
    return new DomainError(codeForStatus(fastifyError.statusCode), detail, { field: 'body' });
  }
  return undefined;
}

/**
 * Denials of an identified caller, one audit event each (bounded by the caller's rate limit).
 * Failed authentication is audited by the auth module instead, aggregated per source address, so an
 * anonymous caller cannot grow the audit log without bound.
 */
const DENIALS = new Set(['forbidden', 'not-found']);

@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemFilter');

  constructor(@Optional() private readonly denials?: DenialRecorder) {}

  catch(error: unknown, host: ArgumentsHost): void {
    if (host.getType<string>() === 'graphql') {
      // GraphQL answers errors itself (extensions.code); denials are still audited, as on REST.
      const request = (host.getArgs()[2] as { req?: FastifyRequest } | undefined)?.req;
      if (request?.url && this.denials && error instanceof DomainError && DENIALS.has(error.code)) {
        void this.denials.recordDenial(request, error).catch((err: unknown) => this.logger.error({ err }, 'could not audit a denied GraphQL request'));
      }
      throw error;
    }
    if (host.getType() !== 'http') throw error;
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    // Only denials decided by Berth's access rules, not unknown routes.
    if (this.denials && error instanceof DomainError && DENIALS.has(error.code)) {
      void this.denials
        .recordDenial(request, error)
        .catch((err: unknown) => this.logger.error({ err, requestId: String(request.id) }, 'could not audit a denied request'))
        .finally(() => sendProblem(request, reply, error, this.logger));
      return;
    }
    sendProblem(request, reply, error, this.logger);
  }
}

export function sendProblem(request: FastifyRequest, reply: FastifyReply, error: unknown, logger: Pick<Logger, 'error'>): void {
  const domain = toDomainError(error);
  const requestId = String(request.id);
  if (!domain) {
    logger.error({ err: error, requestId }, 'unhandled error');
  }
  const problem = problemFromDomainError(domain ?? new DomainError('internal-error', 'an unexpected error occurred; quote the instance when reporting it'), requestId);
  for (const [name, value] of Object.entries(domain?.options.headers ?? {})) void reply.header(name, value);
  void reply.status(problem.status).header('content-type', PROBLEM_CONTENT_TYPE).send(problem);
}
