// Per-request facts that deep layers need (audit, idempotency, logging) without threading them
// through every call: request id, caller, source address. What an audited operation was about and
// what it changed is not here: services hand that to the audit runner through AuditNotes.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Actor } from '../auth/actor.js';

export interface RequestContext {
  requestId: string;
  actor?: Actor;
  ip?: string;
  userAgent?: string;
  idempotencyKey?: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

export const requestContext = {
  run<T>(ctx: RequestContext, fn: () => T): T {
    return storage.run(ctx, fn);
  },
  get(): RequestContext | undefined {
    return storage.getStore();
  },
};
