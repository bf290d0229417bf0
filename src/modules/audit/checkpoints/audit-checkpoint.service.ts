// Writes a signed checkpoint of the audit head to the operator's sink every
// BERTH_AUDIT_CHECKPOINT_INTERVAL_MS (when the head moved). Every replica ticks; a transaction-scoped
// advisory lock lets one write at a time, and the checkpoint record is keyed by sequence number, so
// a given head is signed and sent once. A failed sink write rolls back and is retried next tick.
import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { BERTH_CONFIG, type BerthConfig } from '../../../config/config.js';
import { TransactionHost } from '../../../database/prisma.service.js';
import { AuditRepository } from '../audit.repository.js';
import { AuditSigner, type SignedHead } from '../audit-signer.js';
import { CheckpointSink } from './checkpoint-sink.js';

@Injectable()
export class AuditCheckpointService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('AuditCheckpoints');
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  /** Why this replica's last attempt failed (cleared by the next success), for verify to show. */
  lastError: { at: string; message: string } | null = null;

  constructor(
    private readonly audit: AuditRepository,
    private readonly tx: TransactionHost,
    private readonly signer: AuditSigner,
    private readonly sink: CheckpointSink,
    @Inject(BERTH_CONFIG) private readonly config: BerthConfig,
  ) {}

  get sinkDescription(): string {
    return this.sink.description;
  }

  onModuleInit(): void {
    if (!this.config.workersEnabled) return;
    if (!this.config.auditCheckpoint.sink) {
      this.logger.log('no BERTH_AUDIT_CHECKPOINT_SINK: the audit log is not anchored outside the database (see docs/security.md)');
      return;
    }
    this.logger.log({ sink: this.sink.description, intervalMs: this.config.auditCheckpoint.intervalMs }, 'writing signed audit checkpoints');
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.checkpoint()
        .catch(() => undefined)
        .finally(() => (this.running = undefined));
    }, this.config.auditCheckpoint.intervalMs);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  /** Signs and sends the current head if it moved since the last checkpoint; undefined otherwise. */
  async checkpoint(): Promise<SignedHead | undefined> {
    try {
      const written = await this.writeCheckpoint();
      this.lastError = null;
      return written;
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      this.lastError = { at: new Date().toISOString(), message };
      this.logger.warn({ err: message, sink: this.sink.description }, 'could not write an audit checkpoint; retrying next interval');
      throw err;
    }
  }

  private async writeCheckpoint(): Promise<SignedHead | undefined> {
    return this.tx.run(async () => {
      if (!(await this.audit.tryLockCheckpointWriter())) return undefined;
      const head = await this.audit.head();
      const last = await this.audit.lastCheckpointSeq();
      if (head.seq === 0n || (last !== null && head.seq <= last)) return undefined;
      const checkpoint = this.signer.signHead(head.seq, head.hash);
      await this.sink.write(checkpoint);
      await this.audit.recordCheckpoint(checkpoint, this.sink.description);
      return checkpoint;
    });
  }

  /** Checkpoints to check the log against: the sink's (when it can be read back) and the recorded ones. */
  async checkpoints(): Promise<{ valid: SignedHead[]; rejected: number; fromSink: boolean }> {
    const fromSink = await this.sink.readAll();
    const recorded = await this.audit.recordedCheckpoints();
    const bySeq = new Map<string, SignedHead>();
    let rejected = 0;
    // The sink's copy wins: the database's copy is what an attacker with database access controls.
    for (const c of [...recorded, ...(fromSink ?? [])]) {
      if (!this.signer.verifyHead(c)) {
        rejected += 1;
        continue;
      }
      bySeq.set(c.seq, c);
    }
    const valid = [...bySeq.values()].sort((a, b) => (BigInt(a.seq) < BigInt(b.seq) ? -1 : 1));
    return { valid, rejected, fromSink: fromSink !== undefined };
  }
}
