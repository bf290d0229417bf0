// The ONE transaction runner for audited operations, used by both transports (REST's
// AuditInterceptor, GraphQL's GraphqlAuditInterceptor): the Idempotency-Key check, the work, the
// audit event and the stored answer commit together or not at all (a failed audit insert fails the
// request). Transports only translate their request into an AuditedOperation.
import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { Actor } from '../auth/actor.js';
import { canonicalJson } from '../json/canonical-json.js';
import { TransactionHost } from '../../database/prisma.service.js';
import { AuditNotebook } from './audit-notebook.js';
import type { AuditScope } from './audit-notes.js';
import { AuditTrail, IdempotencyLedger } from './audit-ports.js';
import type { AuditedRoute } from './audited.decorator.js';

/** What the operation does to its target, for the audit event's default change. */
export type AuditedEffect = 'create' | 'update' | 'delete';

export interface AuditedOperation {
  route: AuditedRoute;
  actor: Actor | undefined;
  /** The request as the transport names it (`POST /v1/apps`, `graphql createApp`), for the fingerprint. */
  operation: string;
  /** The request's input, for the fingerprint (without the idempotency key itself). */
  input: unknown;
  idempotencyKey: string | undefined;
  /**
   * The status a first answer carries, stored for replays: read once the work is done, since a
   * handler may choose it (201 created or 200 replaced).
   */
  status: () => number;
  effect: AuditedEffect;
  /**
   * The answer the transport gives (and stores for replays), made from the service's result once it
   * is audited: GraphQL wraps it in the mutation's payload. Without it the answer is the result.
   */
  answer?: (result: unknown, scope: AuditScope | undefined) => unknown;
}

export interface AuditedOutcome {
  result: unknown;
  /** True when the answer is a stored one (same Idempotency-Key, same request). */
  replayed: boolean;
  /** A replay's status: the one the first answer had. */
  status?: number;
}

/** sha256 of the operation and its canonical input: equal requests fingerprint equally. */
export function requestFingerprint(operation: string, input: unknown): string {
  return createHash('sha256').update(operation).update('\n').update(canonicalJson(input ?? null)).digest('hex');
}

export function describeTarget(route: AuditedRoute, result: unknown, scope: AuditScope | undefined): { type: string; id: string | null; name: string | null } {
  const body = (result && typeof result === 'object' ? result : {}) as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : null);
  const id = str(body.id) ?? (route.target === 'environment' ? (scope?.environmentId ?? null) : route.target === 'app' ? (scope?.appId ?? null) : null);
  const name =
    str(body.name) ??
    str(body.hostname) ??
    str(body.type) ??
    (typeof body.number === 'number' ? `v${body.number}` : null) ??
    (route.target === 'environment' ? (scope?.environmentName ?? null) : route.target === 'app' ? (scope?.appName ?? null) : null);
  return { type: route.target, id, name };
}

/** Without a change noted by the service: a creation's result is its "after"; a deletion has none. */
export function defaultChange(effect: AuditedEffect, result: unknown): unknown {
  if (effect === 'delete' || result === undefined || result === null || typeof result !== 'object') return null;
  return effect === 'create' ? { before: null, after: result } : { after: result };
}

@Injectable()
export class AuditedTransaction {
  constructor(
    private readonly tx: TransactionHost,
    private readonly trail: AuditTrail,
    private readonly ledger: IdempotencyLedger,
    private readonly notebook: AuditNotebook,
  ) {}

  /** Runs the work with a page of audit notes of its own (AuditNotes), read when the event is recorded. */
  run(op: AuditedOperation, work: () => Promise<unknown>): Promise<AuditedOutcome> {
    return this.notebook.open((notes) =>
      this.tx.run(async () => {
        const scope = `user:${op.actor?.userId ?? 'anonymous'}`;
        const fingerprint = requestFingerprint(op.operation, op.input);
        const key = op.idempotencyKey;
        if (key) {
          const replay = await this.ledger.begin(scope, key, fingerprint);
          if (replay) return { result: replay.body, replayed: true, status: replay.status };
        }
        const result = await work();
        const entry = {
          action: op.route.action,
          target: describeTarget(op.route, result, notes.scope),
          teamId: notes.scope.teamId,
          environmentId: notes.scope.environmentId,
          change: notes.change ?? defaultChange(op.effect, result),
        };
        const answer = op.answer ? op.answer(result, notes.scope) : result;
        if (key) await this.ledger.complete(scope, key, fingerprint, op.status(), answer ?? null);
        // The audit event is the last statement before COMMIT: appending locks the chain's head,
        // which every audited write in every replica waits for, so nothing else may run while it
        // is held (the transaction still fails as a whole if the append does).
        await this.trail.record(entry);
        return { result: answer, replayed: false };
      }),
    );
  }
}
