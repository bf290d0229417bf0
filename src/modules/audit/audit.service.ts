import { Injectable } from '@nestjs/common';
import { assertPlatformAdmin, roleRank, type Actor } from '../../common/auth/actor.js';
import { requestContext } from '../../common/context/request-context.js';
import { DomainError } from '../../common/errors/domain-error.js';
import { pageRequest, toPage, withCount, type Page } from '../../common/pagination/pagination.js';
import { TransactionHost } from '../../database/prisma.service.js';
import { TeamsService } from '../teams/teams.service.js';
import { ChainVerifier, type ChainedEvent, type ChainProblem } from './audit-chain.js';
import { AuditCheckpointService } from './checkpoints/audit-checkpoint.service.js';
import { AuditRepository, type AuditFilter } from './audit.repository.js';
import { AuditSigner, type SignedHead } from './audit-signer.js';
import type { AuditQuery, VerifyQuery } from './dto/audit-query.input.js';
import { toAuditEventModel, type AuditEventModel, type SignedHeadModel, type VerifyResultModel } from './models/audit-event.model.js';
import { redact } from './redact.js';
import { CHANNELS } from '../../graphql/pubsub/pg-pubsub.js';

export interface AuditRecordInput {
  action: string;
  outcome?: 'success' | 'denied';
  target?: { type: string; id?: string | null; name?: string | null };
  teamId?: string | null;
  environmentId?: string | null;
  change?: unknown;
}

const VERIFY_BATCH = 2000;

@Injectable()
export class AuditService {
  constructor(
    private readonly audit: AuditRepository,
    private readonly teams: TeamsService,
    private readonly tx: TransactionHost,
    private readonly signer: AuditSigner,
    private readonly checkpoints: AuditCheckpointService,
  ) {}

  /**
   * Records one event in the current transaction (or its own, for denials): who and from where
   * from the request context, what it was about from the input.
   */
  async record(input: AuditRecordInput): Promise<ChainedEvent> {
    const ctx = requestContext.get();
    const actor = ctx?.actor;
    return this.tx.run(async () => {
      // Subscribers (GraphQL auditEvents) hear of it once this transaction commits, ids only: the
      // append's own statement sends it, so the head stays locked for that one statement.
      return this.audit.append({
        actorType: actor ? (actor.type === 'system' ? 'system' : 'user') : 'token',
        actorId: actor?.userId ?? null,
        actorName: actor?.email ?? null,
        teamId: input.teamId ?? null,
        action: input.action,
        targetType: input.target?.type ?? null,
        targetId: input.target?.id ?? null,
        targetName: input.target?.name ?? null,
        environmentId: input.environmentId ?? null,
        requestId: ctx?.requestId ?? null,
        idempotencyKey: ctx?.idempotencyKey ?? null,
        sourceIp: ctx?.ip ?? null,
        userAgent: ctx?.userAgent ?? null,
        outcome: input.outcome ?? 'success',
        change: input.change === undefined ? null : redact(input.change),
      }, CHANNELS.audit);
    });
  }

  async list(actor: Actor, query: AuditQuery): Promise<Page<AuditEventModel>> {
    const filter = await this.filterFor(actor, query);
    const page = pageRequest<string>(query);
    const seq = (cursor: string | undefined): bigint | undefined => {
      if (cursor === undefined) return undefined;
      if (!/^\d{1,19}$/.test(cursor)) throw DomainError.invalid('cursor', 'is not a cursor this list handed out');
      return BigInt(cursor);
    };
    const bounded = { ...filter, afterSeq: seq(page.after), beforeSeq: seq(page.before) };
    const rows = await this.audit.list(bounded, page.limit + 1, page.backward ? 'desc' : 'asc');
    return withCount(toPage(rows, page, (e) => e.seq.toString(), toAuditEventModel), () => this.audit.count(filter));
  }

  /** Every matching event, oldest first, for NDJSON export. */
  async *export(actor: Actor, query: AuditQuery): AsyncGenerator<AuditEventModel> {
    const filter = await this.filterFor(actor, query);
    let after = 0n;
    for (;;) {
      const batch = await this.audit.batch(after, VERIFY_BATCH, filter);
      for (const event of batch) yield toAuditEventModel(event);
      if (batch.length < VERIFY_BATCH) return;
      after = batch[batch.length - 1]!.seq;
    }
  }

  async verify(actor: Actor, query: VerifyQuery): Promise<VerifyResultModel> {
    assertPlatformAdmin(actor);
    const anchors = await this.checkpoints.checkpoints();
    const wanted = new Set(anchors.valid.map((c) => c.seq));
    const hashesAtCheckpoints = new Map<bigint, string>();
    let lastSeen = 0n;
    const verifier = new ChainVerifier();
    let after = 0n;
    // The whole log is read even past a break, to compare every checkpoint with what is there.
    for (;;) {
      const batch = await this.audit.batch(after, VERIFY_BATCH);
      verifier.feed(batch);
      for (const event of batch) if (wanted.has(event.seq.toString())) hashesAtCheckpoints.set(event.seq, event.hash);
      if (batch.length > 0) lastSeen = batch[batch.length - 1]!.seq;
      if (batch.length < VERIFY_BATCH) break;
      after = lastSeen;
    }
    let problem = verifier.finish(await this.audit.head());
    if (!problem && query.head_seq !== undefined) problem = await this.checkExportedHead(query, verifier);
    const anchored = this.checkAgainstCheckpoints(anchors.valid, hashesAtCheckpoints, lastSeen);
    // The earlier of the two breaks is the one to report.
    if (anchored.problem && (!problem || BigInt(anchored.problem.seq) <= BigInt(problem.seq))) problem = anchored.problem;
    return {
      valid: !problem,
      checked: verifier.count,
      head_seq: verifier.count ? verifier.lastSeq.toString() : null,
      problem: problem ?? null,
      checkpoints: {
        checked: anchors.valid.length,
        rejected: anchors.rejected,
        last_good_seq: anchored.lastGood?.toString() ?? null,
        latest_seq: anchors.valid[anchors.valid.length - 1]?.seq ?? null,
        sink: this.checkpoints.sinkDescription,
        sink_read: anchors.fromSink,
        last_error: this.checkpoints.lastError,
      },
    };
  }

  /**
   * Every checkpoint must still match the log: an event at its sequence number with its hash. The
   * first that does not shows the log was cut or rewritten after the last good checkpoint, so the
   * first event after that one is the first that can no longer be trusted.
   */
  private checkAgainstCheckpoints(checkpoints: SignedHead[], hashes: Map<bigint, string>, lastSeen: bigint): { problem?: ChainProblem; lastGood?: bigint } {
    let lastGood: bigint | undefined;
    for (const c of checkpoints) {
      const seq = BigInt(c.seq);
      const hash = hashes.get(seq);
      if (hash === c.hash) {
        lastGood = seq;
        continue;
      }
      const first = ((lastGood ?? 0n) + 1n).toString();
      const since = lastGood === undefined ? 'the start of the log' : `the last good checkpoint (event ${lastGood})`;
      if (hash === undefined && seq > lastSeen) {
        return { lastGood, problem: { kind: 'truncated', seq: first, detail: `the checkpoint of ${c.exported_at} has event ${seq}, but the log ends at ${lastSeen}: events after ${since} cannot be trusted` } };
      }
      return { lastGood, problem: { kind: hash === undefined ? 'deleted' : 'edited', seq: first, detail: `event ${seq} ${hash === undefined ? 'is missing but was in' : 'differs from'} the checkpoint of ${c.exported_at}: the log was rewritten after ${since}` } };
    }
    return { lastGood };
  }

  async signedHead(actor: Actor): Promise<SignedHeadModel> {
    assertPlatformAdmin(actor);
    const head = await this.audit.head();
    return { ...this.signer.signHead(head.seq, head.hash), public_key: this.signer.publicKeyPem() };
  }

  /** A head exported earlier must still be in the log, unchanged: otherwise the log was cut or rewritten. */
  private async checkExportedHead(query: VerifyQuery, verifier: ChainVerifier) {
    const { head_seq, head_hash, head_exported_at, head_signature } = query;
    if (!head_hash || !head_exported_at || !head_signature) {
      throw DomainError.invalid('head_signature', 'head_seq, head_hash, head_exported_at and head_signature go together');
    }
    if (!this.signer.verifyHead({ seq: head_seq!, hash: head_hash, exported_at: head_exported_at, signature: head_signature })) {
      throw DomainError.invalid('head_signature', 'the signature does not match this head (or another key signed it)');
    }
    const seq = BigInt(head_seq!);
    if (seq > verifier.lastSeq) {
      return { kind: 'truncated' as const, seq: (verifier.lastSeq + 1n).toString(), detail: `a signed head from ${head_exported_at} has event ${seq}, but the log ends at ${verifier.lastSeq}` };
    }
    const event = await this.audit.findBySeq(seq);
    if (!event || event.hash !== head_hash) {
      return { kind: 'edited' as const, seq: seq.toString(), detail: `event ${seq} differs from the signed head exported at ${head_exported_at}` };
    }
    return undefined;
  }

  /** Team admins see their teams' events; platform admins see everything. */
  private async filterFor(actor: Actor, query: AuditQuery): Promise<AuditFilter> {
    let teamIds: string[] | undefined;
    if (query.team) {
      teamIds = [(await this.teams.resolve(actor, query.team, 'admin')).id];
    } else if (!actor.isPlatformAdmin) {
      teamIds = [...actor.teamRoles.entries()].filter(([, role]) => roleRank(role) >= roleRank('admin')).map(([id]) => id);
      if (teamIds.length === 0) throw new DomainError('forbidden', 'audit events are visible to team admins and platform admins');
    }
    return {
      teamIds,
      actorId: query.actor,
      action: query.action,
      targetId: query.target,
      targetType: query.target_type,
      environmentId: query.environment,
      since: query.since ? new Date(query.since) : undefined,
      until: query.until ? new Date(query.until) : undefined,
    };
  }
}
