// Idempotency-Key handling shared by REST and GraphQL: the same key with the same request replays
// the first answer; with a different request it is refused (422); while the first is still
// running a retry gets 409. The answer is stored in the same transaction as the work it answers,
// encrypted together with the request's fingerprint: answers carry secrets (config vars, a minted
// token), and a plain hash of a body holding a short secret could be guessed offline. The
// associated data binds the ciphertext to its scope and key, so a row copied elsewhere does not open.
import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { EncryptionService } from '../../common/crypto/encryption.service.js';
import { DomainError } from '../../common/errors/domain-error.js';
import { requestFingerprint } from '../../common/audit/audited-transaction.js';
import { IdempotencyRepository } from './idempotency.repository.js';

export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

interface Sealed {
  fingerprint: string;
  body: unknown;
}

export interface Replay {
  status: number;
  body: unknown;
}

@Injectable()
export class IdempotencyService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Idempotency');
  private sweeper: NodeJS.Timeout | undefined;

  constructor(
    private readonly records: IdempotencyRepository,
    private readonly encryption: EncryptionService,
  ) {}

  private static boundTo(scope: string, key: string): string {
    return `idempotency\n${scope}\n${key}`;
  }

  static fingerprint(operation: string, input: unknown): string {
    return requestFingerprint(operation, input);
  }

  static validateKey(key: string): void {
    if (!KEY_PATTERN.test(key)) throw DomainError.invalid('Idempotency-Key', 'must be 1 to 255 visible ASCII characters');
  }

  /** Call inside the request's transaction before doing the work. Returns the replay, if any. */
  async begin(scope: string, key: string, fingerprint: string): Promise<Replay | undefined> {
    IdempotencyService.validateKey(key);
    if (!(await this.records.tryLock(scope, key))) {
      throw new DomainError('idempotency-key-in-use', 'a request with this Idempotency-Key is still being processed; retry later', {
        headers: { 'retry-after': '1' },
      });
    }
    const stored = await this.records.find(scope, key, new Date());
    if (!stored) return undefined;
    const opened = this.encryption.decryptJson<Sealed>(stored.sealed, IdempotencyService.boundTo(scope, key));
    if (opened.fingerprint !== fingerprint) {
      throw new DomainError('idempotency-key-reused', 'this Idempotency-Key was used for a different request', { field: 'Idempotency-Key' });
    }
    return { status: stored.responseStatus, body: opened.body ?? null };
  }

  /** Call in the same transaction once the work is done. */
  async complete(scope: string, key: string, fingerprint: string, status: number, body: unknown): Promise<void> {
    const now = new Date();
    const sealed = this.encryption.encryptJson({ fingerprint, body: body ?? null } satisfies Sealed, IdempotencyService.boundTo(scope, key));
    await this.records.save(scope, key, status, sealed, now, new Date(now.getTime() + IDEMPOTENCY_TTL_MS));
  }

  onModuleInit(): void {
    // Every replica sweeps; deleting expired rows is idempotent, so no coordination is needed.
    this.sweeper = setInterval(() => {
      this.records.deleteExpired(new Date()).catch((err: unknown) => this.logger.warn({ err }, 'could not sweep idempotency records'));
    }, 10 * 60 * 1000);
    this.sweeper.unref();
  }

  onApplicationShutdown(): void {
    if (this.sweeper) clearInterval(this.sweeper);
  }
}
