// Where signed checkpoints of the audit head go: somewhere outside the database that a platform
// operator chooses (BERTH_AUDIT_CHECKPOINT_SINK), so someone who can rewrite the database cannot
// also rewrite the checkpoints that give the rewrite away.
import type { SignedHead } from '../audit-signer.js';

export abstract class CheckpointSink {
  /** A short description for logs and the checkpoint record (never a credential). */
  abstract readonly description: string;
  /** Stores one checkpoint; storing the same sequence number again is harmless. */
  abstract write(checkpoint: SignedHead): Promise<void>;
  /** Every checkpoint the sink holds, or undefined when this sink cannot be read back. */
  abstract readAll(): Promise<SignedHead[] | undefined>;
}

/** No sink configured: nothing is written, and verification has only the database's own records. */
export class NoCheckpointSink extends CheckpointSink {
  readonly description = 'none';
  async write(): Promise<void> {}
  async readAll(): Promise<undefined> {
    return undefined;
  }
}

/** Parses what a sink returned; anything that is not a checkpoint is dropped (signatures are checked later). */
export function asCheckpoints(value: unknown): SignedHead[] {
  const list = Array.isArray(value) ? value : [];
  return list.filter(
    (c): c is SignedHead =>
      !!c && typeof c === 'object' && ['seq', 'hash', 'exported_at', 'key_id', 'signature'].every((k) => typeof (c as Record<string, unknown>)[k] === 'string') && /^\d+$/.test((c as SignedHead).seq),
  );
}
