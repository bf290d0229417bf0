// Per-request facts that deep layers need (audit, idempotency, logging) without threading them
// through every call: request id, caller, source address.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Actor } from '../auth/actor.js';

/** What the request turned out to be about; filled in by services' resolve() calls, read by audit. */
export interface RequestScope {
  teamId?: string;
  appId?: string;
  appName?: string;
  environmentId?: string;
  environmentName?: string;
}

export interface RecordedChange {
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
}

export interface RequestContext {
  requestId: string;
  actor?: Actor;
  ip?: string;
  userAgent?: string;
  idempotencyKey?: string;
  scope?: RequestScope;
  change?: RecordedChange;
}

const storage = new AsyncLocalStorage<RequestContext>();

export const requestContext = {
  run<T>(ctx: RequestContext, fn: () => T): T {
    return storage.run(ctx, fn);
  },
  get(): RequestContext | undefined {
    return storage.getStore();
  },
  /** Services note what they resolved (team, app, environment) so the audit event can name it. */
  noteScope(scope: RequestScope): void {
    const ctx = storage.getStore();
    if (ctx) ctx.scope = { ...ctx.scope, ...scope };
  },
  /** Services note the fields they changed, before and after, for the audit event. */
  noteChange(change: RecordedChange): void {
    const ctx = storage.getStore();
    if (ctx) ctx.change = change;
  },
};
