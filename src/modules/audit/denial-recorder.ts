import { Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { Actor } from '../../common/auth/actor.js';
import { requestContext } from '../../common/context/request-context.js';
import type { DomainError } from '../../common/errors/domain-error.js';
import { contextFromRequest } from '../../common/http/request-context.hooks.js';
import { DenialRecorder } from '../../common/audit/audit-ports.js';
import { AuditService } from './audit.service.js';

@Injectable()
export class AuditDenialRecorder extends DenialRecorder {
  constructor(private readonly audit: AuditService) {
    super();
  }

  async recordDenial(request: FastifyRequest & { actor?: Actor }, error: DomainError): Promise<void> {
    const route = request.routeOptions?.url ?? request.url;
    await requestContext.run(contextFromRequest(request), () =>
      this.audit.record({
        action: 'access.denied',
        outcome: 'denied',
        target: { type: 'route', id: null, name: `${request.method} ${route}` },
        change: { status: error.status, code: error.code, path: request.url.split('?')[0] },
      }),
    );
  }
}
