import { Injectable } from '@nestjs/common';
import { TransactionHost } from '../../database/prisma.service.js';

/** Every column that holds a Berth ciphertext, with its table's key column. */
export const SECRET_COLUMNS = [
  { table: 'environments', column: 'config_ciphertext', key: 'id' },
  { table: 'releases', column: 'config_ciphertext', key: 'id' },
  { table: 'clusters', column: 'credentials_ciphertext', key: 'id' },
  { table: 'registry_credentials', column: 'password_ciphertext', key: 'id' },
  { table: 'idempotency_records', column: 'sealed', key: 'id' },
] as const;

export type SecretColumn = (typeof SECRET_COLUMNS)[number];

@Injectable()
export class KeyRotationRepository {
  constructor(private readonly tx: TransactionHost) {}

  /** Rows whose ciphertext was not wrapped by `currentKeyId`, in key order after `afterId`. */
  async stale(col: SecretColumn, currentKeyId: string, afterId: string, limit: number): Promise<Array<{ id: string; ciphertext: string }>> {
    // Identifiers come from the constant list above, never from input.
    return this.tx.db.$queryRawUnsafe<Array<{ id: string; ciphertext: string }>>(
      `SELECT ${col.key}::text AS id, ${col.column} AS ciphertext FROM ${col.table}
       WHERE ${col.column} <> '' AND split_part(${col.column}, '.', 2) <> $1 AND ${col.key}::text > $2
       ORDER BY ${col.key} LIMIT $3`,
      currentKeyId,
      afterId,
      limit,
    );
  }

  /** Replaces the ciphertext only if nobody changed it meanwhile. */
  async replace(col: SecretColumn, id: string, before: string, after: string): Promise<boolean> {
    const count = await this.tx.db.$executeRawUnsafe(`UPDATE ${col.table} SET ${col.column} = $1 WHERE ${col.key}::text = $2 AND ${col.column} = $3`, after, id, before);
    return count > 0;
  }
}
