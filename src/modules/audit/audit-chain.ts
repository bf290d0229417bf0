// The audit log's hash chain, as pure functions: each event's hash covers its content and its
// predecessor's hash, so editing, deleting, reordering or truncating events breaks the chain.
import { createHash } from 'node:crypto';
import { canonicalJson } from '../../common/json/canonical-json.js';

export const GENESIS_HASH = '0'.repeat(64);

export interface ChainedEvent {
  seq: bigint;
  occurredAt: Date;
  actorType: string;
  actorId: string | null;
  actorName: string | null;
  teamId: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  targetName: string | null;
  environmentId: string | null;
  requestId: string | null;
  idempotencyKey: string | null;
  sourceIp: string | null;
  userAgent: string | null;
  outcome: 'success' | 'denied';
  change: unknown;
  prevHash: string;
  hash: string;
}

export function hashEvent(event: Omit<ChainedEvent, 'hash'> & { hash?: string }): string {
  // Exactly the chained fields: a record read back carries its own hash, which must not count.
  const { prevHash, hash: _ownHash, ...content } = event;
  return createHash('sha256').update(prevHash).update('\n').update(canonicalJson(content)).digest('hex');
}

export type ChainProblemKind = 'edited' | 'deleted' | 'reordered' | 'truncated';

export interface ChainProblem {
  kind: ChainProblemKind;
  seq: string;
  detail: string;
}

/**
 * Walks events in sequence order and reports the first break. Feed it batches; it keeps the
 * previous event between calls.
 */
export class ChainVerifier {
  private previous: { seq: bigint; hash: string } = { seq: 0n, hash: GENESIS_HASH };
  private checked = 0;
  problem: ChainProblem | undefined;

  get lastSeq(): bigint {
    return this.previous.seq;
  }

  get lastHash(): string {
    return this.previous.hash;
  }

  get count(): number {
    return this.checked;
  }

  feed(events: ChainedEvent[]): boolean {
    for (const event of events) {
      if (this.problem) return false;
      this.problem = this.check(event);
      this.previous = { seq: event.seq, hash: event.hash };
      this.checked += 1;
    }
    return this.problem === undefined;
  }

  /** Compares the end of the log with the head the database (or a signed export) says it has. */
  finish(head: { seq: bigint; hash: string }): ChainProblem | undefined {
    if (this.problem) return this.problem;
    if (head.seq > this.previous.seq) {
      this.problem = { kind: 'truncated', seq: (this.previous.seq + 1n).toString(), detail: `the log ends at ${this.previous.seq} but its head is ${head.seq}` };
    } else if (head.seq === this.previous.seq && head.hash !== this.previous.hash) {
      this.problem = { kind: 'edited', seq: head.seq.toString(), detail: 'the last event does not match the recorded head hash' };
    }
    return this.problem;
  }

  private check(event: ChainedEvent): ChainProblem | undefined {
    const seq = event.seq.toString();
    const recomputed = hashEvent(event);
    if (recomputed !== event.hash) return { kind: 'edited', seq, detail: `event ${seq} does not match its hash: its content was changed` };
    if (event.seq !== this.previous.seq + 1n) {
      if (event.seq > this.previous.seq + 1n) {
        return { kind: 'deleted', seq: (this.previous.seq + 1n).toString(), detail: `events ${this.previous.seq + 1n}..${event.seq - 1n} are missing` };
      }
      return { kind: 'reordered', seq, detail: `event ${seq} comes after ${this.previous.seq}` };
    }
    if (event.prevHash !== this.previous.hash) {
      return { kind: 'reordered', seq, detail: `event ${seq} does not follow event ${this.previous.seq}: the chain link is broken` };
    }
    return undefined;
  }
}
