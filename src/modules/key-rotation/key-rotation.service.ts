// Converges every stored secret to the current encryption key: after prepending a new key to
// BERTH_ENCRYPTION_KEY and rolling it out, run `npm run keys:rotate`; when it reports nothing
// left, the old key can be removed. Only data keys are re-wrapped: no secret is decrypted.
import { Injectable, Logger } from '@nestjs/common';
import { EncryptionService } from '../../common/crypto/encryption.service.js';
import { KeyRotationRepository, SECRET_COLUMNS } from './key-rotation.repository.js';

const BATCH = 500;

export interface RotationReport {
  keyId: string;
  rewrapped: Record<string, number>;
  /** v1 ciphertexts (before envelope encryption) cannot be re-wrapped without their record. */
  skipped: Record<string, number>;
}

@Injectable()
export class KeyRotationService {
  private readonly logger = new Logger('KeyRotation');

  constructor(
    private readonly repository: KeyRotationRepository,
    private readonly encryption: EncryptionService,
  ) {}

  async rotate(): Promise<RotationReport> {
    const report: RotationReport = { keyId: this.encryption.currentKeyId, rewrapped: {}, skipped: {} };
    for (const col of SECRET_COLUMNS) {
      const name = `${col.table}.${col.column}`;
      report.rewrapped[name] = 0;
      report.skipped[name] = 0;
      let after = '';
      for (;;) {
        const rows = await this.repository.stale(col, this.encryption.currentKeyId, after, BATCH);
        for (const row of rows) {
          if (!row.ciphertext.startsWith('v2.')) {
            report.skipped[name] += 1;
            continue;
          }
          if (await this.repository.replace(col, row.id, row.ciphertext, this.encryption.rewrap(row.ciphertext))) report.rewrapped[name] += 1;
        }
        if (rows.length < BATCH) break;
        after = rows[rows.length - 1]!.id;
      }
    }
    this.logger.log(report, 'key rotation finished');
    return report;
  }
}
